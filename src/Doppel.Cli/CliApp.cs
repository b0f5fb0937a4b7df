using Doppel.Cli.Commands;
using Doppel.Core;

namespace Doppel.Cli;

/// <summary>
/// Dispatches a command line to a registered command and turns its outcome into an exit code:
/// 0 success, 1 an expected failure (<see cref="DoppelException"/>: message and hint on stderr),
/// 70 a bug (one line on stderr, the full exception in a crash log), 130 a run stopped by Ctrl-C
/// or SIGTERM after finishing cleanly. Commands may also return their own non-zero codes
/// (verify: 2 for no manifest).
/// </summary>
public sealed class CliApp
{
    // Short names for the commands; the values are Doppel.Core's ExitCodes.
    public const int ExitOk = ExitCodes.Ok;
    public const int ExitExpectedError = ExitCodes.ExpectedError;
    public const int ExitInternalError = ExitCodes.InternalError;
    /// <summary>A run stopped by Ctrl-C or SIGTERM that saved what it had.</summary>
    public const int ExitInterrupted = ExitCodes.Interrupted;

    private readonly CommandRegistry registry;
    private readonly TextWriter error;
    private readonly Func<string> logsDirectory;

    /// <param name="logsDirectory">Where crash logs go; evaluated only when a crash happens, so a bad cache path cannot break normal runs.</param>
    public CliApp(CommandRegistry registry, TextWriter error, Func<string> logsDirectory)
    {
        this.registry = registry;
        this.error = error;
        this.logsDirectory = logsDirectory;
    }

    public int Run(string[] args)
    {
        try
        {
            return Dispatch(args);
        }
        catch (DoppelException e)
        {
            error.WriteLine($"error: {e.Message}");
            if (!string.IsNullOrWhiteSpace(e.Hint)) error.WriteLine($"hint: {e.Hint}");
            return ExitExpectedError;
        }
        catch (Exception e)
        {
            error.WriteLine($"internal error: {OneLine(e.Message)} ({CrashReport(e, args)})");
            return ExitInternalError;
        }
    }

    private int Dispatch(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h")
            return registry.Create("help").Run([]);
        if (args[0] == "--version")
            return registry.Create("version").Run([]);
        if (args[0].StartsWith('-'))
            throw new DoppelException($"unknown option '{args[0]}'", "global options are --help and --version; run 'doppel --help' for the commands");

        string name = args[0];
        if (!registry.Contains(name))
        {
            string? guess = registry.Suggest(name);
            throw new DoppelException($"unknown command '{name}'" + (guess is null ? "" : $" (did you mean '{guess}'?)"),
                "run 'doppel --help' for the list of commands");
        }

        ICommand command = registry.Create(name);
        string[] rest = args[1..];
        if (AsksForHelp(rest))
        {
            Console.Out.WriteLine(HelpCommand.ForCommand(command));
            return ExitOk;
        }
        return command.Run(rest);
    }

    // --help anywhere before a bare "--" wins over everything else, as users expect from any CLI.
    private static bool AsksForHelp(string[] args)
    {
        foreach (string a in args)
        {
            if (a == "--") return false;
            if (a is "--help" or "-h") return true;
        }
        return false;
    }

    private string CrashReport(Exception e, string[] args)
    {
        try
        {
            return "crash report: " + CrashLog.Write(logsDirectory(), e, args);
        }
        catch (Exception logError)
        {
            // The crash report is a courtesy; failing to write it must not hide the original error.
            return $"crash report could not be written: {OneLine(logError.Message)}";
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
