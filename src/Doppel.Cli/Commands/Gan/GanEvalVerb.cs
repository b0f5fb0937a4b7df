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
    private readonly Option<bool> parzen;
    private readonly Option<int> samples, seed;

    public GanEvalVerb()
    {
        raw = Options.Flag("raw", "use the raw generator even when the run keeps a moving average of it (gan train --ema), which is used by default");
        parzen = Options.Flag("parzen", "Gaussian Parzen-window log-likelihood of the MNIST test digits (the paper's Table 1)");
        samples = Options.Int("samples", ParzenEvaluation.SampleCount, "samples drawn from G for the window", min: 1, max: 100_000);
        seed = Options.Int("seed", 1, "seed of the samples' noise", min: 0);
    }

    public string Name => "eval";
    public OptionSet Options { get; } = new("gan eval", maxPositionals: 1);

    public string UsageLine => "doppel gan eval MODEL --parzen [--samples 10000] [--seed 1] [--raw]";

    public string Description => """
        eval    --parzen: the paper's protocol. 10,000 samples from G; sigma chosen from
                logspace(-1, 0, 10) by the mean log-likelihood of the first 1,000 validation
                digits (train[50000:60000]); then the mean log-likelihood of the 10,000 test
                digits and its standard error (std / sqrt(N)), pixels in [0, 1]. Prints
                `parzen_ll=<mean> se=<se> sigma=<sigma>` last. The paper reports 225 +- 2.
        """;

    public int Run(ParsedOptions p)
    {
        string modelDir = p.Positionals.Count == 1 ? p.Positionals[0] : throw new DoppelException("gan eval needs a model", "doppel gan eval RUN_DIR --parzen");
        if (!p.Get(parzen)) throw new DoppelException("gan eval needs to know what to measure", "add --parzen");
        var model = GanModel.Open(modelDir, p.Get(raw));
        if (model.Settings.Arch != "mlp" || model.Channels != 1)
            throw new DoppelException($"the Parzen protocol scores MNIST digits; {modelDir} is a {model.Settings.Arch} model of {model.Networks.Width} px {(model.Channels == 1 ? "grey" : "RGB")} images",
                "evaluate a model trained by doppel gan train --arch mlp");
        var result = ParzenEvaluation.Run(model, Mnist.Validation(), Mnist.Test(), (ulong)p.Get(seed), p.Get(samples), Console.Out.WriteLine);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Samples} samples of the {model.Settings.Arch} GAN's {model.GeneratorDescription} at iteration {model.Checkpoint.Iteration}; test log-likelihood {result.Mean:F1} +- {result.StandardError:F1} (paper: 225 +- 2)"));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"parzen_ll={result.Mean:F2} se={result.StandardError:F2} sigma={result.Sigma:G6}"));
        return CliApp.ExitOk;
    }
}
