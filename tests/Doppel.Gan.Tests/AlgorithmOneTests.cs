using Doppel.Gan.Models;
using Doppel.Gan.Tests.Support;
using Doppel.Gan.Training;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;
using Doppel.Training;

namespace Doppel.Gan.Tests;

/// <summary>Algorithm 1's bookkeeping: k D updates per G update, each network's update leaves the other alone, exact resume.</summary>
public sealed class AlgorithmOneTests
{
    private static GanSettings Mlp(int k = 1) => GanSettings.For("mlp") with { Batch = 10, K = k };

    private static TrainingLoopOptions Options(string dir, long iterations, bool resume = false) => new()
    {
        OutputDir = dir, Iterations = iterations, Resume = resume, SaveEvery = 0, PreviewEvery = 0, Log = TextWriter.Null,
    };

    private static Dictionary<string, float[]> Snapshot(IEnumerable<(string Name, Tensor Tensor)> state) =>
        state.ToDictionary(s => s.Name, s => s.Tensor.ToArray());

    [Fact]
    public void WithK3_EachIterationMakesThreeDiscriminatorUpdatesAndOneGeneratorUpdate()
    {
        var task = new GanTask(Mlp(k: 3), new FakeDigits(100));
        for (long i = 0; i < 2; i++)
        {
            using var batch = task.MakeBatch(i);
            Assert.Equal(3, batch.Real.Length);
            // Each D update sees its own real minibatch and its own noise.
            Assert.False(batch.Real[0].Span.SequenceEqual(batch.Real[1].Span));
            Assert.False(batch.NoiseD[1].Span.SequenceEqual(batch.NoiseD[2].Span));
            using (TensorScope.Begin()) task.Step(batch, i);
            Assert.Equal(3 * (i + 1), task.DiscriminatorOptimizer.Step);
            Assert.Equal(i + 1, task.GeneratorOptimizer.Step);
        }
    }

    [Fact]
    public void TheDiscriminatorsUpdateNeverChangesTheGenerator_AndViceVersa()
    {
        var task = new GanTask(Mlp(), new FakeDigits(100));
        using var batch = task.MakeBatch(0);
        var g = task.Networks.Generator;
        var d = task.Networks.Discriminator;

        var gBefore = Snapshot(g.StateDict().Concat(task.GeneratorOptimizer.State()));
        var dBefore = Snapshot(d.StateDict());
        task.DiscriminatorStep(batch.Real[0], batch.NoiseD[0]);
        Assert.Equal(gBefore, Snapshot(g.StateDict().Concat(task.GeneratorOptimizer.State())));
        Assert.NotEqual(dBefore, Snapshot(d.StateDict()));
        Assert.All(g.Parameters(), p => Assert.Null(p.Grad));

        var dAfter = Snapshot(d.StateDict().Concat(task.DiscriminatorOptimizer.State()));
        var gAfter = Snapshot(g.StateDict());
        task.GeneratorStep(batch.NoiseG);
        Assert.Equal(dAfter, Snapshot(d.StateDict().Concat(task.DiscriminatorOptimizer.State())));
        Assert.NotEqual(gAfter, Snapshot(g.StateDict()));
        Assert.All(d.Parameters(), p => Assert.Null(p.Grad));
        // D is trainable again for its next update.
        Assert.All(d.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void DcganUpdatesAreIsolatedToo()
    {
        var settings = GanSettings.For("dcgan") with { Size = 32, Features = 4, Batch = 4 };
        var task = new GanTask(settings, new FakeFaces(16, 32));
        using var batch = task.MakeBatch(0);
        var gParams = Snapshot(task.Networks.Generator.NamedParameters());
        task.DiscriminatorStep(batch.Real[0], batch.NoiseD[0]);
        Assert.Equal(gParams, Snapshot(task.Networks.Generator.NamedParameters()));
        var dParams = Snapshot(task.Networks.Discriminator.NamedParameters().Concat(task.DiscriminatorOptimizer.State()));
        task.GeneratorStep(batch.NoiseG);
        Assert.Equal(dParams, Snapshot(task.Networks.Discriminator.NamedParameters().Concat(task.DiscriminatorOptimizer.State())));
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("dcgan")]
    public void ThreePlusThreeIterationsAreSixBitForBit(string arch)
    {
        using var dir = new TempDir();
        GanTask Task() => arch == "mlp"
            ? new GanTask(Mlp(k: 2) with { InstanceNoise = 0.05, LabelSmoothing = 0.1 }, new FakeDigits(60))
            : new GanTask(GanSettings.For("dcgan") with { Size = 32, Features = 4, Batch = 4 }, new FakeFaces(12, 32));
        var straightTask = Task();
        var straight = new TrainingLoop<GanBatch>(straightTask, Options(Path.Combine(dir.Path, "straight"), 6)).Run();
        var first = new TrainingLoop<GanBatch>(Task(), Options(Path.Combine(dir.Path, "split"), 3)).Run();
        var resumedTask = Task();
        var second = new TrainingLoop<GanBatch>(resumedTask, Options(Path.Combine(dir.Path, "split"), 6, resume: true)).Run();

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(straight.Metrics.Row(i), first.Metrics.Row(i));
            Assert.Equal(straight.Metrics.Row(i + 3), second.Metrics.Row(i));
        }
        Assert.Equal(["d_loss", "d_real", "d_fake", "g_loss"], straight.Metrics.Names);
        var all = (GanTask t) => Snapshot(t.Networks.Generator.StateDict("g.").Concat(t.Networks.Discriminator.StateDict("d."))
            .Concat(t.GeneratorOptimizer.State().Select(s => ("g." + s.Name, s.Tensor)))
            .Concat(t.DiscriminatorOptimizer.State().Select(s => ("d." + s.Name, s.Tensor))));
        Assert.Equal(all(straightTask), all(resumedTask));
        Assert.Equal(straightTask.DropoutRng.State, resumedTask.DropoutRng.State);
        Assert.Equal(straightTask.GeneratorOptimizer.ScalarState(), resumedTask.GeneratorOptimizer.ScalarState());
    }

    [Fact]
    public void TheMlpGeneratorStartsAtTheDigitsAverageBrightness()
    {
        var data = new FakeDigits(50);
        var task = new GanTask(Mlp(), data);
        var means = RealExamples.PixelMeans(data);
        // Weights are small (U(-0.05, 0.05)), so the first samples sit near sigmoid(bias) = the pixel means.
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.Off();
        var z = Tensor.FromArray(Sampling.GanSampler.Noise(20, 100, new Doppel.Tensors.Nn.Rng(1)), 20, 100);
        var samples = task.Networks.Generator.Forward(z).Span;
        double sampleMean = 0;
        foreach (float v in samples) sampleMean += v;
        Assert.Equal(means.Average(), sampleMean / samples.Length, 1);
    }

    [Fact]
    public void SettingsRoundTripThroughJson()
    {
        var s = GanSettings.For("dcgan") with { K = 2, LabelSmoothing = 0.1, Seed = 7, Size = 32 };
        Assert.Equal(s, GanSettings.FromJson(s.ToJson(), "test"));
    }

    [Theory]
    [InlineData(0, "--k 0")]
    [InlineData(-1, "--k -1")]
    public void KBelowOneIsRefused(int k, string expected)
    {
        var e = Assert.Throws<Doppel.Core.DoppelException>(() => Mlp(k).Validated());
        Assert.Contains(expected, e.Message);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void MoreDataThanOneMinibatchIsNeeded()
    {
        var e = Assert.Throws<Doppel.Core.DoppelException>(() => new GanTask(Mlp(), new FakeDigits(5)));
        Assert.Contains("fewer than one minibatch", e.Message);
    }

    [Fact]
    public void ArchitecturesAreRegisteredByName()
    {
        Assert.Equal(["mlp", "dcgan"], GanArchitectures.Names);
        Assert.Throws<Doppel.Core.DoppelException>(() => GanArchitectures.Get("stylegan"));
    }
}
