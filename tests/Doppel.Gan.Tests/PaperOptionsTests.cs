using Doppel.Gan.Sampling;
using Doppel.Gan.Tests.Support;
using Doppel.Gan.Training;
using Doppel.Tensors;
using Doppel.Tensors.Nn;
using Doppel.Training;

namespace Doppel.Gan.Tests;

/// <summary>The paper code's options beyond Algorithm 1: the uniform prior of z and pylearn2's max-norm on D.</summary>
public sealed class PaperOptionsTests
{
    private static double RowNorm(Tensor weight, int row)
    {
        int fanIn = weight.Size / weight.Dim(0);
        double s = 0;
        foreach (float v in weight.Span.Slice(row * fanIn, fanIn)) s += (double)v * v;
        return Math.Sqrt(s);
    }

    [Fact]
    public void MaxNormScalesOnlyTheRowsAboveTheLimitOntoIt()
    {
        var layer = new Linear(4, 3, new Rng(1));
        layer.Weight.Span.Clear();
        layer.Weight.Span[0] = 3f; layer.Weight.Span[1] = 4f;   // row 0: norm 5
        layer.Weight.Span[4] = 0.6f; layer.Weight.Span[5] = 0.8f; // row 1: norm 1
        layer.Bias!.Span.Fill(7f);                                // biases are not constrained

        Assert.Equal(1, MaxNormConstraint.Apply(layer, 2.0));
        Assert.Equal(2.0, RowNorm(layer.Weight, 0), 5);
        Assert.Equal([1.2f, 1.6f], layer.Weight.Span[..2].ToArray().Select(v => MathF.Round(v, 5)));   // direction kept
        Assert.Equal([0.6f, 0.8f, 0f, 0f], layer.Weight.Span[4..8].ToArray());                         // below the limit: untouched
        Assert.All(layer.Bias.Span.ToArray(), b => Assert.Equal(7f, b));
    }

    [Fact]
    public void WithMaxNormEveryDiscriminatorUnitStaysInsideTheLimitAfterItsUpdate()
    {
        var settings = GanSettings.For("mlp") with { Batch = 10, MaxNorm = 0.05, Optimizer = GanSettings.Adam, LrG = 0.05, LrD = 0.05 };
        var task = new GanTask(settings, new FakeDigits(100));
        for (long i = 0; i < 3; i++)
        {
            using var batch = task.MakeBatch(i);
            using (TensorScope.Begin()) task.Step(batch, i);
        }
        var weights = task.Networks.Discriminator.NamedParameters().Where(p => p.Tensor.Rank == 2).ToList();
        Assert.Equal(3, weights.Count);   // two maxout layers and the output unit
        // U(-0.005, 0.005) over 784 inputs starts near norm 0.08, so the limit 0.05 binds on every unit.
        Assert.All(weights, w => Assert.All(Enumerable.Range(0, w.Tensor.Dim(0)), r => Assert.InRange(RowNorm(w.Tensor, r), 0, 0.05 + 1e-6)));
        Assert.Contains(weights, w => Enumerable.Range(0, w.Tensor.Dim(0)).Any(r => RowNorm(w.Tensor, r) > 0.05 - 1e-4));

        // Off (the default), the same run leaves units above it.
        var free = new GanTask(settings with { MaxNorm = 0 }, new FakeDigits(100));
        Assert.Contains(free.Networks.Discriminator.NamedParameters(), p => p.Tensor.Rank == 2 && RowNorm(p.Tensor, 0) > 0.05);
    }

    [Fact]
    public void UniformNoiseHasTheGaussiansVarianceInsideItsBounds()
    {
        var z = GanSampler.Noise(1000, 100, new Rng(3), GanSettings.Uniform);
        Assert.All(z, v => Assert.InRange(v, -MathF.Sqrt(3f), MathF.Sqrt(3f)));
        double mean = z.Average(v => (double)v), variance = z.Average(v => (double)v * v) - mean * mean;
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(variance, 0.97, 1.03);
        Assert.Contains(z, v => Math.Abs(v) > 1.7f);   // reaches the edges, unlike a clipped normal
        Assert.Throws<ArgumentException>(() => GanSampler.Noise(1, 1, new Rng(3), "cauchy"));
    }

    [Fact]
    public void TheMlpDefaultsDrawZUniformlyAsThePapersRunAndOlderRunsReadAsGaussian()
    {
        Assert.Equal(GanSettings.Uniform, GanSettings.For("mlp").Noise);
        Assert.Equal(GanSettings.Gaussian, GanSettings.For("dcgan").Noise);
        var json = GanSettings.For("mlp").ToJson();
        json.Remove("noise");
        json.Remove("maxNorm");
        var old = GanSettings.FromJson(json, "test");
        Assert.Equal(GanSettings.Gaussian, old.Noise);
        Assert.Equal(0, old.MaxNorm);

        // The training batches draw from the run's prior.
        var task = new GanTask(GanSettings.For("mlp") with { Batch = 10 }, new FakeDigits(100));
        using var batch = task.MakeBatch(0);
        Assert.All(batch.NoiseG.Span.ToArray(), v => Assert.InRange(v, -MathF.Sqrt(3f), MathF.Sqrt(3f)));
    }

    [Fact]
    public void ARunSavedBeforeTheseSettingsExistedResumesAsGaussianWithoutMaxNorm()
    {
        using var dir = new TempDir();
        var settings = GanSettings.For("mlp") with { Batch = 10, Noise = GanSettings.Gaussian };
        TrainingLoopOptions Options(long n, bool resume) => new() { OutputDir = dir.Path, Iterations = n, Resume = resume, SaveEvery = 0, PreviewEvery = 0, Log = TextWriter.Null };
        new TrainingLoop<GanBatch>(new GanTask(settings, new FakeDigits(60)), Options(2, false)).Run();
        // Strip the new keys from the saved settings, as an older Doppel wrote them.
        string state = Path.Combine(dir.Path, CheckpointStore.CurrentName, CheckpointStore.StateFile);
        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(state))!.AsObject();
        var saved = root["settings"]!.AsObject();
        Assert.True(saved.Remove("noise") && saved.Remove("maxNorm"));
        File.WriteAllText(state, root.ToJsonString());

        var resumed = new TrainingLoop<GanBatch>(new GanTask(settings, new FakeDigits(60)), Options(3, true)).Run();
        Assert.Equal(3, resumed.Iteration);
        // A real change is still refused.
        var e = Assert.Throws<Doppel.Core.DoppelException>(() => new TrainingLoop<GanBatch>(new GanTask(settings with { Noise = GanSettings.Uniform }, new FakeDigits(60)), Options(4, true)).Run());
        Assert.Contains("noise", e.Message);
    }

    [Theory]
    [InlineData("cauchy", 0, "unknown noise prior")]
    [InlineData("uniform", -1, "--max-norm -1")]
    public void BadValuesAreRefusedWithAHint(string noise, double maxNorm, string expected)
    {
        var e = Assert.Throws<Doppel.Core.DoppelException>(() => (GanSettings.For("mlp") with { Noise = noise, MaxNorm = maxNorm }).Validated());
        Assert.Contains(expected, e.Message);
        Assert.NotNull(e.Hint);
    }
}
