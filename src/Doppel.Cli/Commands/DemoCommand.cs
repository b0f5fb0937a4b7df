using Doppel.Cli.Options;
using Doppel.Core;

namespace Doppel.Cli.Commands;

/// <summary>
/// <c>doppel demo</c>: a placeholder until the end-to-end demo (extract, train, convert) exists.
/// It fails as an expected error rather than pretending to succeed, so scripts notice.
/// </summary>
public sealed class DemoCommand : ICommand
{
    public string Name => "demo";
    public string Summary => "End-to-end face swap demo (not built yet)";
    public OptionSet Options { get; } = new("demo");

    public string Usage => """
        usage: doppel demo

        Will run the whole pipeline on the bundled sample videos: extract faces, train the swap
        model, convert a video. This is not built yet; the command only says so and exits with 1.
        """ + "\n\n" + Options.Describe();

    public int Run(string[] args)
    {
        Options.Parse(args);
        throw new DoppelException(
            "the full demo (extract faces, train the swap model, convert a video) is not built yet",
            "run './doppel test' to check what is built so far, and './doppel info' to see what this machine offers");
    }
}
