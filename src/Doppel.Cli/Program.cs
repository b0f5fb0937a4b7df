using Doppel.Core;

namespace Doppel.Cli;

/// <summary>The doppel tool's entry point. Behaviour lives in <see cref="CliApp"/>; tests call <see cref="Main"/> in-process.</summary>
public static class Program
{
    public static int Main(string[] args) =>
        new CliApp(CommandRegistry.CreateDefault(), Console.Error, () => Path.Combine(DoppelPaths.Cache, "logs")).Run(args);
}
