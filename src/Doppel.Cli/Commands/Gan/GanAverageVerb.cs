using System.Globalization;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Gan.Sampling;

namespace Doppel.Cli.Commands.Gan;

/// <summary><c>doppel gan average -o OUT CHECKPOINT...</c>: one generator from the mean of several checkpoints of a run.</summary>
internal sealed class GanAverageVerb : IGanVerb
{
    private readonly Option<bool> raw;
    private readonly Option<string?> output;

    public GanAverageVerb()
    {
        raw = Options.Flag("raw", "use the raw generator even when the run keeps a moving average of it (gan train --ema), which is used by default");
        output = Options.OptionalString("out", "new run folder for the averaged generator", "dir");
        Options.ShortAlias('o', output);
    }

    public string Name => "average";
    public OptionSet Options { get; } = new("gan average", maxPositionals: 1000);

    public string UsageLine => "doppel gan average -o OUT_DIR CHECKPOINT CHECKPOINT [...]";

    public string Description => """
        average Averages the generator weights of two or more checkpoints of one run
                (copies of its checkpoint/ folder taken while it trained, or run folders)
                into a new run folder for gan sample and gan eval: post-hoc Polyak
                averaging, which smooths what the adversarial game leaves oscillating.
                The output holds only the generator; it cannot be resumed.
        """;

    public int Run(ParsedOptions p)
    {
        string outDir = p.Get(output) ?? throw new DoppelException("gan average needs an output folder", "add -o DIR");
        var model = GeneratorAverage.Write(p.Positionals, outDir, p.Get(raw));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"averaged the {model.Settings.Arch} generators of {p.Positionals.Count} checkpoints into {outDir}; sample or evaluate it with doppel gan sample/eval {outDir}"));
        return CliApp.ExitOk;
    }
}
