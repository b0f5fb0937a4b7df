using Doppel.Core;
using Doppel.Swap.Tests.Support;
using Doppel.Swap.Training;
using Doppel.Tensors.IO;

namespace Doppel.Swap.Tests;

/// <summary>
/// train --gan-power: off by default (no discriminator anywhere), on it adds the discriminator,
/// its optimiser and its metrics, takes one D step per iteration, can be switched on at a resume
/// (the checkpoint gains D) and resumes exactly; switching it off is refused.
/// </summary>
public sealed class GanPowerTests
{
    private static TrainerOptions Options(TempDir dir, string model, long iterations, float ganPower) =>
        TinyTraining.Options(dir, model, iterations, new TrainSettings { Model = "tiny", BatchSize = 4, LearningRate = 3e-3f, Seed = 7, GanPower = ganPower });

    private static Doppel.Training.SavedCheckpoint Latest(string modelDir) => SwapCheckpoints.Store(modelDir).ReadLatest()!;

    private static string[] Header(string modelDir) => File.ReadLines(Path.Combine(modelDir, "metrics.csv")).First().Split(',');

    private static Dictionary<string, float[]> Weights(string modelDir, string module)
    {
        var saved = Latest(modelDir);
        var (tensors, _) = SafeTensors.Load(saved.PathOf(saved.Manifest.Modules.Single(m => m.Name == module).File));
        var result = tensors.ToDictionary(t => t.Key, t => t.Value.ToArray());
        foreach (var t in tensors.Values) t.Dispose();
        return result;
    }

    [Fact]
    public void OffThereIsNoDiscriminator_OnThereIsOneStepOfItPerIteration()
    {
        using var dir = new TempDir();
        var off = new SwapTrainer(Options(dir, "off", 3, 0f)).Run();
        Assert.Equal(["model"], Latest(dir.Sub("off")).Manifest.Modules.Select(m => m.Name));
        Assert.Equal(["optimizer"], Latest(dir.Sub("off")).Manifest.Optimizers.Select(m => m.Name));
        Assert.DoesNotContain("d_loss", Header(dir.Sub("off")));

        var on = new SwapTrainer(Options(dir, "on", 3, 0.1f)).Run();
        var saved = Latest(dir.Sub("on"));
        Assert.Equal(["model", "discriminator"], saved.Manifest.Modules.Select(m => m.Name));
        Assert.Equal(["optimizer", "optimizer_d"], saved.Manifest.Optimizers.Select(m => m.Name));
        // One autoencoder step and one discriminator step per iteration.
        Assert.Equal(3, saved.Manifest.Optimizers.Single(o => o.Name == "optimizer").Scalars["step"]);
        Assert.Equal(3, saved.Manifest.Optimizers.Single(o => o.Name == "optimizer_d").Scalars["step"]);
        Assert.Subset(Header(dir.Sub("on")).ToHashSet(), new HashSet<string> { "g_adv", "d_loss", "d_real", "d_fake" });
        // Same seed, same first batch: the reconstruction loss of the first step does not see D yet.
        Assert.Equal(off.Losses[0], on.Losses[0]);
        Assert.NotEqual(off.Losses[2], on.Losses[2]);
    }

    [Fact]
    public void SwitchedOnAtAResume_TheCheckpointGainsDAndTheRunResumesExactly()
    {
        using var dir = new TempDir();
        // 3 iterations without, then GAN power to 7 in one session, or to 5 and then to 7.
        new SwapTrainer(Options(dir, "straight", 3, 0f)).Run();
        var modelAt3 = Weights(dir.Sub("straight"), "model");
        var straight = new SwapTrainer(Options(dir, "straight", 7, 0.1f) with { Resume = true }).Run();
        Assert.Equal(["model", "discriminator"], Latest(dir.Sub("straight")).Manifest.Modules.Select(m => m.Name));
        Assert.Equal(4, Latest(dir.Sub("straight")).Manifest.Optimizers.Single(o => o.Name == "optimizer_d").Scalars["step"]);
        Assert.NotEqual(modelAt3, Weights(dir.Sub("straight"), "model"));

        new SwapTrainer(Options(dir, "split", 3, 0f)).Run();
        Assert.Equal(modelAt3, Weights(dir.Sub("split"), "model"));
        var first = new SwapTrainer(Options(dir, "split", 5, 0.1f) with { Resume = true }).Run();
        var second = new SwapTrainer(Options(dir, "split", 7, 0.1f) with { Resume = true }).Run();
        Assert.Equal(straight.Losses, first.Losses.Concat(second.Losses).ToList());
        Assert.Equal(Weights(dir.Sub("straight"), "model"), Weights(dir.Sub("split"), "model"));
        Assert.Equal(Weights(dir.Sub("straight"), "discriminator"), Weights(dir.Sub("split"), "discriminator"));

        var e = Assert.Throws<DoppelException>(() => new SwapTrainer(Options(dir, "split", 8, 0f) with { Resume = true }).Run());
        Assert.Contains("cannot be switched off", e.Message);
        Assert.Contains("--gan-power", e.Hint);
    }
}

/// <summary>The sharpness measure of bench gan-power: blur lowers it, the mask decides where it looks.</summary>
public sealed class FaceSharpnessTests
{
    private static float[] Checkerboard(int size, int cell)
    {
        var v = new float[size * size * 3];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                v.AsSpan((y * size + x) * 3, 3).Fill((x / cell + y / cell) % 2 == 0 ? 0.9f : 0.1f);
        return v;
    }

    [Fact]
    public void BlurLowersIt_AndOnlyThePixelsInsideTheMaskCount()
    {
        const int s = 16;
        var sharp = Checkerboard(s, 1);
        var blurred = new float[sharp.Length];
        for (int y = 0; y < s; y++)
            for (int x = 0; x < s; x++)
                for (int c = 0; c < 3; c++)
                {
                    float sum = 0; int n = 0;
                    for (int dy = -1; dy <= 1; dy++) for (int dx = -1; dx <= 1; dx++)
                        if (y + dy is >= 0 and < s && x + dx is >= 0 and < s) { sum += sharp[((y + dy) * s + x + dx) * 3 + c]; n++; }
                    blurred[(y * s + x) * 3 + c] = sum / n;
                }
        double a = Doppel.Swap.Benchmarks.FaceSharpness.LaplacianVariance(sharp, [], s);
        double b = Doppel.Swap.Benchmarks.FaceSharpness.LaplacianVariance(blurred, [], s);
        Assert.True(b < 0.2 * a, $"{a} -> {b}");
        // Flat grey on the right half, the checkerboard on the left: a mask on the right sees nothing to vary.
        var half = (float[])sharp.Clone();
        for (int y = 0; y < s; y++) for (int x = 8; x < s; x++) half.AsSpan((y * s + x) * 3, 3).Fill(0.5f);
        var right = new float[s * s];
        for (int y = 0; y < s; y++) for (int x = 10; x < s; x++) right[y * s + x] = 1f;
        Assert.Equal(0, Doppel.Swap.Benchmarks.FaceSharpness.LaplacianVariance(half, right, s), 12);
        Assert.True(Doppel.Swap.Benchmarks.FaceSharpness.LaplacianVariance(half, [], s) > 0);
    }
}
