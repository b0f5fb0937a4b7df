using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Swap.Benchmarks;
using Doppel.Swap.Models;
using Doppel.Swap.Training;

namespace Doppel.Cli.Commands.Bench;

/// <summary>
/// <c>doppel bench gan-power --a A --b B</c>: does train --gan-power sharpen the decoders' faces
/// at this training length? (<see cref="GanPowerEffect"/>). The last line is
/// <c>loss_off=.. loss_on=.. sharp_off=.. sharp_on=.. sharp_real_b=..</c> (losses: mean of A and B;
/// sharpness: the swap A->B's Laplacian variance inside the mask).
/// </summary>
internal sealed class GanPowerBenchmark : IBenchmark
{
    private readonly Option<string?> a, b, work, baseModel;
    private readonly Option<string> arch;
    private readonly Option<int> pretrain, iterations, batch, seed, warmup, faces;
    private readonly Option<double> lr, power;

    public GanPowerBenchmark()
    {
        var defaults = new TrainSettings();
        a = Options.OptionalString("a", "face set of person A (doppel extract)", "dir");
        b = Options.OptionalString("b", "face set of person B", "dir");
        work = Options.OptionalString("work", "keep the three models here (base/, off/, on/) and reuse the pretrained base next time (default: a temporary folder, deleted)", "dir");
        baseModel = Options.OptionalString("base", "a model folder already trained without GAN power on these face sets: copied and continued instead of --pretrain (its settings are used)", "dir");
        arch = Options.Choice("arch", defaults.Model, ModelRegistry.Default.Names, "the model to train (as train --model)");
        pretrain = Options.Int("pretrain", 1000, "iterations without GAN power first", min: 0);
        iterations = Options.Int("iterations", 500, "iterations of each continuation, without and with GAN power", min: 1);
        power = Options.Double("gan-power", 0.1, "the GAN power of the second continuation", min: 1e-6, max: 10);
        batch = Options.Int("batch", defaults.BatchSize, "faces per side per iteration (as train --batch)", min: 1, max: 1024);
        lr = Options.Double("lr", defaults.LearningRate, "learning rate (as train --lr)", min: 1e-8, max: 1);
        warmup = Options.Int("lr-warmup", 0, "learning-rate warm-up iterations (as train --lr-warmup)", min: 0);
        seed = Options.Int("seed", (int)defaults.Seed, "random seed (as train --seed)", min: 0);
        faces = Options.Int("faces", 64, "faces of each set measured", min: 1, max: 4096);
    }

    public string Name => "gan-power";
    public OptionSet Options { get; } = new("bench gan-power");

    public string UsageLine => "doppel bench gan-power --a FACESET --b FACESET [--work DIR] [--base MODEL | --arch lite --pretrain 1000] [--iterations 500] [--gan-power 0.1] [--batch 8] [--lr 5e-5] [--lr-warmup 0] [--seed 1] [--faces 64]";

    public string Description => """
        gan-power  What train --gan-power does to the faces at this training length: trains
                a model --pretrain iterations without it, continues it --iterations more twice
                with the same seed and batches, without and with --gan-power, and measures
                both on the same unaugmented faces of each set: the reconstruction loss (DSSIM
                + L1 inside the landmark mask) and the sharpness, the variance of the
                Laplacian of luma inside the mask, of A->A, B->B and the swaps A->B, B->A,
                beside the real crops'. --base MODEL starts both from a model trained
                already (copied, never changed) instead. The models draw real people: keep
                --work private. The last line is `loss_off=<float> loss_on=<float>
                sharp_off=<float> sharp_on=<float> sharp_real_b=<float>`.
        """;

    public int Run(ParsedOptions parsed)
    {
        string setA = parsed.Get(a) ?? throw new DoppelException("bench gan-power needs person A's face set", "add --a FACESET (a folder from doppel extract)");
        string setB = parsed.Get(b) ?? throw new DoppelException("bench gan-power needs person B's face set", "add --b FACESET");
        foreach (string set in new[] { setA, setB })
            if (!Directory.Exists(set)) throw new DoppelException($"face set {set} does not exist", "pass folders doppel extract wrote");
        if (parsed.Get(baseModel) is { } given && !Directory.Exists(given))
            throw new DoppelException($"model folder {given} does not exist", "pass a folder doppel train -o wrote (trained without --gan-power), or leave --base out to pretrain one");
        string? keep = parsed.Get(work);
        string dir = keep ?? Directory.CreateTempSubdirectory("doppel-bench-gan-power-").FullName;
        try
        {
            Console.Out.WriteLine(Inv($"bench gan-power: work folder {dir}{(keep is null ? " (temporary)" : "")}, {Environment.ProcessorCount} cores, load average {PeerScript.LoadAverage():F2}"));
            var r = GanPowerEffect.Run(new GanPowerEffectOptions
            {
                FaceSetA = setA,
                FaceSetB = setB,
                WorkDir = dir,
                Settings = new TrainSettings
                {
                    Model = parsed.Get(arch),
                    BatchSize = parsed.Get(batch),
                    LearningRate = (float)parsed.Get(lr),
                    WarmupIterations = parsed.Get(warmup),
                    Seed = (ulong)parsed.Get(seed),
                },
                Pretrain = parsed.Get(pretrain),
                BaseModel = parsed.Get(baseModel),
                Iterations = parsed.Get(iterations),
                GanPower = (float)parsed.Get(power),
                Faces = parsed.Get(faces),
                Log = Console.Out,
            });
            Console.Out.WriteLine(Inv($"real crops: Laplacian variance A {r.SharpRealA:E3}, B {r.SharpRealB:E3}"));
            Console.Out.WriteLine("run  gan_power  loss_a  loss_b  sharp_a->a  sharp_b->b  sharp_a->b  sharp_b->a  cpu_s");
            foreach (var row in new[] { r.Off, r.On })
                Console.Out.WriteLine(Inv($"{row.Run,-4} {row.GanPower,9:G3}  {row.LossA:F4}  {row.LossB:F4}  {row.SharpAA:E3}  {row.SharpBB:E3}  {row.SharpAB:E3}  {row.SharpBA:E3}  {row.CpuSeconds:F0}"));
            Console.Out.WriteLine(Inv($"load average {PeerScript.LoadAverage():F2}"));
            Console.Out.WriteLine(Inv($"loss_off={(r.Off.LossA + r.Off.LossB) / 2:F4} loss_on={(r.On.LossA + r.On.LossB) / 2:F4} sharp_off={r.Off.SharpAB:E3} sharp_on={r.On.SharpAB:E3} sharp_real_b={r.SharpRealB:E3}"));
            return CliApp.ExitOk;
        }
        finally
        {
            if (keep is null) try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static string Inv(FormattableString s) => FormattableString.Invariant(s);
}
