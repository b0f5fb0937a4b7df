using Doppel.Datasets.FaceSets;
using Doppel.Swap.Convert;
using Doppel.Swap.Models;
using Doppel.Swap.Training;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;

namespace Doppel.Swap.Benchmarks;

/// <summary>What <see cref="GanPowerEffect"/> trains and measures.</summary>
public sealed record GanPowerEffectOptions
{
    public required string FaceSetA { get; init; }
    public required string FaceSetB { get; init; }

    /// <summary>Where the three models go (base/, off/, on/): they draw real people, keep the folder private.</summary>
    public required string WorkDir { get; init; }

    /// <summary>The run's settings; <see cref="TrainSettings.GanPower"/> is ignored (0 for base and off, <see cref="GanPower"/> for on).</summary>
    public TrainSettings Settings { get; init; } = new();

    /// <summary>Iterations trained without GAN power first (users are told to train, then add GAN power).</summary>
    public long Pretrain { get; init; } = 1000;

    /// <summary>
    /// A model folder already trained without GAN power on these face sets, used (copied, never
    /// changed) instead of pretraining: its settings and iteration count replace
    /// <see cref="Settings"/> and <see cref="Pretrain"/>.
    /// </summary>
    public string? BaseModel { get; init; }

    /// <summary>Iterations after the pretraining, the same for both continuations.</summary>
    public long Iterations { get; init; } = 500;

    public float GanPower { get; init; } = 0.1f;

    /// <summary>Faces of each set measured (spread evenly through it, unaugmented).</summary>
    public int Faces { get; init; } = 64;

    public TextWriter? Log { get; init; }
}

/// <summary>One continuation's figures on the fixed faces: reconstruction losses and Laplacian variances.</summary>
public sealed record GanPowerEffectRow(string Run, float GanPower, double LossA, double LossB, double SharpAA, double SharpBB, double SharpAB, double SharpBA, double CpuSeconds);

public sealed record GanPowerEffectResult(GanPowerEffectRow Off, GanPowerEffectRow On, double SharpRealA, double SharpRealB);

/// <summary>
/// The effect of --gan-power, measured honestly: one model trained <see cref="GanPowerEffectOptions.Pretrain"/>
/// iterations without it, then continued the same number of iterations with the same seed and
/// batches twice, once without and once with the discriminator. On the same unaugmented faces of
/// both sets (training faces: the decoders have seen them, warped) it reports each continuation's
/// reconstruction loss (the trainer's DSSIM + L1 inside the landmark mask) and the sharpness
/// (<see cref="FaceSharpness"/>, inside the mask) of A->A, B->B and the swaps A->B, B->A, beside
/// the sharpness of the real crops.
/// </summary>
public static class GanPowerEffect
{
    public static GanPowerEffectResult Run(GanPowerEffectOptions o)
    {
        var log = o.Log ?? TextWriter.Null;
        string baseDir = Path.Combine(o.WorkDir, "base");
        if (o.BaseModel is { } given)
        {
            var saved = SwapCheckpoints.Store(given).ReadLatest();
            var state = SwapCheckpoints.ToState(saved);
            if (state.Settings.GanPower > 0)
                throw new Doppel.Core.DoppelException($"{given} was trained with --gan-power {state.Settings.GanPower}", "give a model trained without GAN power");
            if (Directory.Exists(baseDir)) Directory.Delete(baseDir, recursive: true);
            CopyDirectory(given, baseDir);
            o = o with { Settings = state.Settings, Pretrain = saved.Iteration };
            log.WriteLine($"base: {given} ({state.Settings.Model}, iteration {saved.Iteration}), copied to {baseDir}");
        }
        var settings = o.Settings with { GanPower = 0 };
        TrainerOptions Trainer(string dir, TrainSettings s, long iterations, bool resume) => new()
        {
            FaceSetA = o.FaceSetA, FaceSetB = o.FaceSetB, ModelDir = dir, Settings = s, Iterations = iterations, Resume = resume,
            SaveEvery = 0, PreviewEvery = 0, Log = log,
        };
        bool haveBase = SwapCheckpoints.Store(baseDir).Exists && SwapCheckpoints.Store(baseDir).ReadLatest().Iteration == o.Pretrain;
        if (!haveBase)
        {
            log.WriteLine($"pretraining {o.Pretrain} iterations without GAN power into {baseDir}");
            new SwapTrainer(Trainer(baseDir, settings, o.Pretrain, resume: false)).Run();
        }
        var rows = new List<(string Name, float Power, string Dir, double Cpu)>();
        foreach (var (name, power) in new[] { ("off", 0f), ("on", o.GanPower) })
        {
            string dir = Path.Combine(o.WorkDir, name);
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            CopyDirectory(baseDir, dir);
            log.WriteLine($"continuing {o.Iterations} iterations with --gan-power {power} in {dir}");
            var result = new SwapTrainer(Trainer(dir, settings with { GanPower = power }, o.Pretrain + o.Iterations, resume: true)).Run();
            rows.Add((name, power, dir, result.CpuSecondsPerStep * result.SessionIterations));
        }

        var spec = settings.Model is { } m ? ModelRegistry.Default.Resolve(m) : throw new InvalidOperationException();
        var facesA = TrainingFaces.Load(FaceSet.Open(o.FaceSetA), spec.InputSize, settings.Coverage);
        var facesB = TrainingFaces.Load(FaceSet.Open(o.FaceSetB), spec.InputSize, settings.Coverage);
        var (a, maskA) = FixedFaces.Take(facesA, Math.Min(o.Faces, facesA.Count));
        var (b, maskB) = FixedFaces.Take(facesB, Math.Min(o.Faces, facesB.Count));
        try
        {
            int s = spec.InputSize;
            double realA = FaceSharpness.LaplacianVariance(a.Span, maskA is null ? [] : maskA.Span, s);
            double realB = FaceSharpness.LaplacianVariance(b.Span, maskB is null ? [] : maskB.Span, s);
            var measured = rows.Select(r => Measure(r.Name, r.Power, r.Dir, r.Cpu, settings, a, maskA, b, maskB)).ToList();
            return new GanPowerEffectResult(measured[0], measured[1], realA, realB);
        }
        finally
        {
            a.Dispose();
            b.Dispose();
            maskA?.Dispose();
            maskB?.Dispose();
        }
    }

    private static GanPowerEffectRow Measure(string name, float power, string dir, double cpu, TrainSettings settings, Tensor a, Tensor? maskA, Tensor b, Tensor? maskB)
    {
        var model = SwapModelFile.Load(dir).Model;
        model.Module.Eval();
        var loss = new FaceLoss(settings.DssimWeight, settings.L1Weight);
        int s = model.InputSize;
        using var noGrad = GradMode.Off();
        using var scope = TensorScope.Begin();
        var aa = model.Forward(a, Side.A);
        var bb = model.Forward(b, Side.B);
        var ab = model.Forward(a, Side.B);
        var ba = model.Forward(b, Side.A);
        double Sharp(Tensor faces, Tensor? masks) => FaceSharpness.LaplacianVariance(faces.Span, masks is null ? [] : masks.Span, s);
        return new GanPowerEffectRow(name, power,
            loss.Compute(aa, a, maskA).Item(), loss.Compute(bb, b, maskB).Item(),
            Sharp(aa, maskA), Sharp(bb, maskB), Sharp(ab, maskA), Sharp(ba, maskB), cpu);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
