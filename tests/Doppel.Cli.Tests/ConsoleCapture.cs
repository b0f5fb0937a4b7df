namespace Doppel.Cli.Tests;

/// <summary>
/// Redirects Console.Out and Console.Error for one test. The console is process-wide, so every
/// test using this belongs to the "Console" collection, which xunit runs one test at a time.
/// </summary>
public sealed class ConsoleCapture : IDisposable
{
    private readonly TextWriter oldOut = Console.Out;
    private readonly TextWriter oldError = Console.Error;
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();

    public ConsoleCapture()
    {
        Console.SetOut(output);
        Console.SetError(error);
    }

    public string Out => output.ToString();
    public string Error => error.ToString();

    /// <summary>Runs the doppel command line in-process with the console captured: exit code, stdout, stderr.</summary>
    public static (int Code, string Out, string Error) Run(params string[] args)
    {
        using var console = new ConsoleCapture();
        int code = Program.Main(args);
        return (code, console.Out, console.Error);
    }

    public void Dispose()
    {
        Console.SetOut(oldOut);
        Console.SetError(oldError);
    }
}

[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection;
