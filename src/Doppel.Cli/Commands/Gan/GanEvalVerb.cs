using System.Globalization;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Gan.Data;
using Doppel.Gan.Evaluation;
using Doppel.Gan.Sampling;

namespace Doppel.Cli.Commands.Gan;

/// <summary><c>doppel gan eval MODEL --parzen</c>: the GAN paper's Table 1 measure on MNIST.</summary>
internal sealed class GanEvalVerb : IGanVerb
{
    private readonly Option<bool> raw;
    private readonly Option<bool> parzen, nearest;
    private readonly Option<IReadOnlyList<string>> heldOut, data;
    private readonly Option<int> samples, seed;

    public GanEvalVerb()
    {
        raw = Options.Flag("raw", "use the raw generator even when the run keeps a moving average of it (gan train --ema), which is used by default");
        parzen = Options.Flag("parzen", "Gaussian Parzen-window log-likelihood of the MNIST test digits (the paper's Table 1)");
        nearest = Options.Flag("nearest", "faces: distance of samples to their nearest training face, against held-out real faces' (does G copy?)");
        heldOut = Options.Repeated("held-out", "--nearest: a face set from doppel extract of real faces not trained on", "dir");
        data = Options.Repeated("data", "--nearest: the training face sets, if they moved since training (default: the run's own)", "dir");
        samples = Options.Int("samples", 0, $"samples drawn from G (0: {ParzenEvaluation.SampleCount} for --parzen, {NearestNeighbourEvaluation.DefaultSamples} for --nearest)", min: 0, max: 100_000);
        seed = Options.Int("seed", 1, "seed of the samples' noise", min: 0);
    }

    public string Name => "eval";
    public OptionSet Options { get; } = new("gan eval", maxPositionals: 1);

    public string UsageLine => "doppel gan eval MODEL --parzen|--nearest --held-out DIR [--samples N] [--seed 1] [--raw]";

    public string Description => """
        eval    --parzen: the paper's protocol. 10,000 samples from G; sigma chosen from
                logspace(-1, 0, 10) by the mean log-likelihood of the first 1,000 validation
                digits (train[50000:60000]); then the mean log-likelihood of the 10,000 test
                digits and its standard error (std / sqrt(N)), pixels in [0, 1]. Prints
                `parzen_ll=<mean> se=<se> sigma=<sigma>` last. The paper reports 225 +- 2.
                --nearest (dcgan, faces): 1,000 samples' RMS pixel distance to their nearest
                training face, against the same for real faces not trained on (--held-out
                DIR, face sets from doppel extract); samples as far as unseen real faces or
                farther mean G does not copy its training faces. Prints `nearest_sample_median=
                ... nearest_heldout_median=... share_below_heldout_p5=...` last.
        """;

    public int Run(ParsedOptions p)
    {
        string modelDir = p.Positionals.Count == 1 ? p.Positionals[0] : throw new DoppelException("gan eval needs a model", "doppel gan eval RUN_DIR --parzen");
        if (p.Get(parzen) == p.Get(nearest)) throw new DoppelException("gan eval needs to know what to measure, one thing at a time", "add --parzen (MNIST) or --nearest --held-out DIR (faces)");
        if (p.Get(nearest)) return Nearest(p, modelDir);
        var model = GanModel.Open(modelDir, p.Get(raw));
        if (model.Settings.Arch != "mlp" || model.Channels != 1)
            throw new DoppelException($"the Parzen protocol scores MNIST digits; {modelDir} is a {model.Settings.Arch} model of {model.Networks.Width} px {(model.Channels == 1 ? "grey" : "RGB")} images",
                "evaluate a model trained by doppel gan train --arch mlp");
        var result = ParzenEvaluation.Run(model, Mnist.Validation(), Mnist.Test(), (ulong)p.Get(seed), p.Get(samples) is > 0 and var n ? n : ParzenEvaluation.SampleCount, Console.Out.WriteLine);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Samples} samples of the {model.Settings.Arch} GAN's {model.GeneratorDescription} at iteration {model.Checkpoint.Iteration}; test log-likelihood {result.Mean:F1} +- {result.StandardError:F1} (paper: 225 +- 2)"));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"parzen_ll={result.Mean:F2} se={result.StandardError:F2} sigma={result.Sigma:G6}"));
        return CliApp.ExitOk;
    }

    private int Nearest(ParsedOptions p, string modelDir)
    {
        if (p.Get(heldOut).Count == 0) throw new DoppelException("--nearest compares samples with real faces the generator never saw", "add --held-out DIR, a face set from doppel extract of faces not trained on");
        var model = GanModel.Open(modelDir, p.Get(raw));
        if (model.Channels != 3)
            throw new DoppelException($"--nearest compares faces; {modelDir} is a {model.Settings.Arch} model of grey digits", "use --parzen for MNIST models");
        var trainedOn = p.Get(data).Count > 0 ? p.Get(data)
            : model.Checkpoint.Manifest.Data["sets"] is System.Text.Json.Nodes.JsonArray sets ? sets.Select(s => s!["path"]!.GetValue<string>()).ToList() : [];
        var overlap = trainedOn.Select(Path.GetFullPath).Intersect(p.Get(heldOut).Select(Path.GetFullPath)).ToList();
        if (overlap.Count > 0) throw new DoppelException($"{overlap[0]} is both a training and a held-out face set", "hold out faces the generator was not trained on (for example other frames, extracted into another folder)");
        var training = FaceImages.Load(trainedOn, model.Networks.Height, Console.Out.WriteLine);
        var held = FaceImages.Load(p.Get(heldOut), model.Networks.Height, Console.Out.WriteLine);
        var result = NearestNeighbourEvaluation.Run(model, training, held, (ulong)p.Get(seed), p.Get(samples) is > 0 and var n ? n : NearestNeighbourEvaluation.DefaultSamples);
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        Console.Out.WriteLine($"{result.Samples.Length} samples of the {model.Settings.Arch} GAN's {model.GeneratorDescription} at iteration {model.Checkpoint.Iteration}, {result.HeldOut.Length} held-out real faces; "
            + $"RMS distance to the nearest of {result.TrainingImages} training faces (pixels in [0, 1]): samples median {F(result.SampleMedian)} (min {F(result.Samples.Min())}), held-out real faces median {F(result.HeldOutMedian)} (5th percentile {F(result.HeldOutLow)})");
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"nearest_sample_median={result.SampleMedian:F4} nearest_heldout_median={result.HeldOutMedian:F4} share_below_heldout_p5={result.ShareNearerThanHeldOutLow:F3}"));
        return CliApp.ExitOk;
    }
}
