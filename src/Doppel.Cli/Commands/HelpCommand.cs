using System.Text;
using Doppel.Cli.Options;
using Doppel.Core;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel help [command]</c>: the command list, or one command's complete help.</summary>
public sealed class HelpCommand : ICommand
{
    private readonly CommandRegistry registry;

    public HelpCommand(CommandRegistry registry) => this.registry = registry;

    public string Name => "help";
    public string Summary => "Show the list of commands, or the help of one command";
    public OptionSet Options { get; } = new("help", maxPositionals: 1);

    public string Usage => """
        usage: doppel help [command]

        Without a command, lists every command. With one, prints its usage and all its options
        (the same text as 'doppel <command> --help').
        """ + "\n\n" + Options.Describe();

    public int Run(string[] args)
    {
        ParsedOptions parsed = Options.Parse(args);
        if (parsed.Positionals.Count == 0)
        {
            Console.Out.WriteLine(Overview());
            return CliApp.ExitOk;
        }

        string name = parsed.Positionals[0];
        if (!registry.Contains(name))
        {
            string? guess = registry.Suggest(name);
            throw new DoppelException($"no help for unknown command '{name}'" + (guess is null ? "" : $" (did you mean '{guess}'?)"),
                "run 'doppel --help' for the list of commands");
        }
        Console.Out.WriteLine(ForCommand(registry.Create(name)));
        return CliApp.ExitOk;
    }

    /// <summary>A command's help as printed: its Usage, trimmed of trailing blank lines.</summary>
    public static string ForCommand(ICommand command) => command.Usage.TrimEnd();

    /// <summary>The top-level help: what Doppel is, the commands with their summaries, global options.</summary>
    public string Overview()
    {
        var sb = new StringBuilder();
        sb.AppendLine("doppel: synthetic faces toolkit (face swap, GANs, fake detection, C2PA provenance)");
        sb.AppendLine();
        sb.AppendLine("usage: doppel <command> [options]");
        sb.AppendLine("       doppel help <command>");
        sb.AppendLine();
        sb.AppendLine("commands:");
        var commands = registry.Names.Select(registry.Create).ToList();
        int width = commands.Max(c => c.Name.Length) + 2;
        foreach (ICommand c in commands) sb.Append("  ").Append(c.Name.PadRight(width)).AppendLine(c.Summary);
        sb.AppendLine();
        sb.AppendLine("global options:");
        sb.AppendLine("  -h, --help   show this help (after a command: that command's help)");
        sb.AppendLine("  --version    print the version");
        sb.AppendLine();
        sb.AppendLine("The ./doppel script also runs 'setup' (install dependencies, build) and 'test [filter]'.");
        sb.Append("Exit codes: 0 success, 1 expected error (message and hint on stderr), 2 internal error (crash log written).");
        return sb.ToString();
    }
}
