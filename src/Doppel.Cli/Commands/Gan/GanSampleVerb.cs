using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Gan.Sampling;
using Doppel.Provenance;

namespace Doppel.Cli.Commands.Gan;

/// <summary><c>doppel gan sample MODEL -n N -o DIR</c>: labelled PNG samples from a trained generator.</summary>
internal sealed class GanSampleVerb : IGanVerb
{
    private readonly Option<bool> raw;
    private readonly Option<int> count, seed;
    private readonly Option<string?> output, grid;
    private readonly SigningOptions signing;

    public GanSampleVerb()
    {
        raw = Options.Flag("raw", "use the raw generator even when the run keeps a moving average of it (gan train --ema), which is used by default");
        count = Options.Int("count", 64, "how many images to draw", min: 1, max: 1_000_000);
        Options.ShortAlias('n', count);
        output = Options.OptionalString("out", "folder for 000000.png, 000001.png, ...", "dir");
        Options.ShortAlias('o', output);
        seed = Options.Int("seed", 1, "seed of the noise z: the same seed draws the same images", min: 0);
        grid = Options.OptionalString("grid", "also write all the images as one grid PNG", "file.png");
        signing = new SigningOptions(Options);
    }

    public string Name => "sample";
    public OptionSet Options { get; } = new("gan sample", maxPositionals: 1);

    public string UsageLine => "doppel gan sample MODEL -n N -o DIR [--seed S] [--grid FILE.png] [--raw]";

    public string Description => """
        sample  Draws N images from the generator of a run folder written by gan train:
                000000.png, 000001.png, ... (8-bit grey for MNIST, RGB for faces), and with
                --grid one image of them all. Each file is labelled with C2PA content
                credentials as created by a model (trainedAlgorithmicMedia, the generator's
                weights as ingredient), which doppel verify reports.
        """;

    public int Run(ParsedOptions p)
    {
        string modelDir = p.Positionals.Count == 1 ? p.Positionals[0] : throw new DoppelException("gan sample needs a model", "doppel gan sample RUN_DIR -n 64 -o samples/");
        string outDir = p.Get(output) ?? throw new DoppelException("gan sample needs an output folder", "add -o DIR");
        string? gridPath = p.Get(grid);
        if (gridPath is not null && !gridPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new DoppelException($"--grid {gridPath}: the grid is written as PNG", "name it something.png");
        using var identity = signing.Open(p);
        var model = GanModel.Open(modelDir, p.Get(raw));
        var policy = identity is null ? SyntheticOutputPolicy.Unsigned
            : SyntheticOutputPolicy.Created([SyntheticOutputPolicy.Model(model.WeightsPath)], identity) with { Description = $"drawn from noise by the {model.Settings.Arch} GAN generator (Doppel)" };
        int n = p.Get(count);
        using (var progress = new Progress("sample", n, "images"))
            SampleWriter.Write(model, n, outDir, (ulong)p.Get(seed), policy, gridPath, _ => progress.Advance());
        Console.Out.WriteLine($"{n} images from the {model.Settings.Arch} GAN's {model.GeneratorDescription} (iteration {model.Checkpoint.Iteration}) in {outDir}" + (gridPath is null ? "" : $", grid {gridPath}")
            + (policy.Signs ? "; each labelled as created by a model (C2PA)" : "; unlabelled (--no-sign)"));
        return CliApp.ExitOk;
    }
}
