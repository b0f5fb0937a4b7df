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

    public void Dispose()
    {
        Console.SetOut(oldOut);
        Console.SetError(oldError);
    }
}

[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection;
