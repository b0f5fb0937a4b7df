using Doppel.Cli.Options;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel version</c>: the same line as <c>doppel --version</c>.</summary>
public sealed class VersionCommand : ICommand
{
    public string Name => "version";
    public string Summary => "Print the version of doppel";
    public OptionSet Options { get; } = new("version");

    public string Usage => """
        usage: doppel version

        Prints the version of doppel (and the git commit it was built from, when known).
        The same as 'doppel --version'.
        """ + "\n\n" + Options.Describe();

    public int Run(string[] args)
    {
        Options.Parse(args);
        Console.Out.WriteLine(VersionInfo.Line);
        return CliApp.ExitOk;
    }
}
