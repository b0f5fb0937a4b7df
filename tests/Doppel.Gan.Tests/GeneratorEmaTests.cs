using Doppel.Core;
using Doppel.Gan.Sampling;
using Doppel.Gan.Tests.Support;
using Doppel.Gan.Training;
using Doppel.Tensors;
using Doppel.Training;

namespace Doppel.Gan.Tests;

/// <summary>
/// gan train --ema: the moving average of G equals the formula computed by hand, is saved so
/// that a resume is exact, can be gained at a resume, and is what sample/eval read by default.
/// </summary>
public sealed class GeneratorEmaTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static TrainingLoopOptions Options(string dir, long iterations, bool resume = false) =>
        new() { OutputDir = dir, Iterations = iterations, Resume = resume, SaveEvery = 0, PreviewEvery = 0, Log = TextWriter.Null };

    private static Dictionary<string, float[]> Snapshot(IEnumerable<(string Name, Tensor Tensor)> state) =>
        state.ToDictionary(s => s.Name, s => s.Tensor.ToArray());

    private static GanTask Toy(double ema, long start = 0) => new(
        GanSettings.For("mlp") with { Arch = "toy", ZDim = 4, Batch = 16, Optimizer = GanSettings.Adam, LrG = 1e-2, LrD = 1e-2, LrDecay = 1, Ema = ema, EmaStart = start },
        new EightGaussians(64, 0.1), architecture: new ToyArchitecture());

    private static GanTask Dcgan(double ema) => new(GanSettings.For("dcgan") with { Size = 32, Features = 4, Batch = 4, Ema = ema }, new FakeFaces(12, 32));

    [Fact]
    public void TheDecayWarmsUpAsARunningMean()
    {
        Assert.Equal(0, GeneratorEma.DecayAt(0.999, 1));         // the first update copies G
        Assert.Equal(0.5, GeneratorEma.DecayAt(0.999, 2));       // the mean of two
        Assert.Equal(0.99, GeneratorEma.DecayAt(0.999, 100), 12);
        Assert.Equal(0.999, GeneratorEma.DecayAt(0.999, 1000), 12);
        Assert.Equal(0.999, GeneratorEma.DecayAt(0.999, 5000));  // then the decay itself
    }

    /// <summary>
    /// Six real GAN iterations, G's state taken after each; the average computed by hand in double
    /// (a_1 = g_1, a_n = d_n a_(n-1) + (1 - d_n) g_n, d_n = min(0.6, 1 - 1/n): 0, 0.5, 0.6, 0.6, ...;
    /// with start 2 the first two iterations are copies) must match what the task kept, on the toy
    /// MLP and on a small DCGAN, whose batch norm running statistics are averaged too.
    /// </summary>
    [Theory]
    [InlineData("toy", 0)]
    [InlineData("toy", 2)]
    [InlineData("dcgan", 0)]
    public void TheAverageEqualsTheFormulaComputedByHand(string arch, long start)
    {
        const double decay = 0.6;
        var task = arch == "toy" ? Toy(decay, start) : Dcgan(decay);
        Dictionary<string, double[]>? expected = null;
        long n = 0;
        for (long it = 0; it < 6; it++)
        {
            using (TensorScope.Begin()) task.Step(task.MakeBatch(it), it);
            var g = Snapshot(task.Networks.Generator.StateDict());
            double d = 0;
            if (it >= start) d = GeneratorEma.DecayAt(decay, ++n);
            Assert.Equal(it < start ? 0 : it < start + 1 ? 0 : it == start + 1 ? 0.5 : 0.6, d, 12);
            expected = g.ToDictionary(e => e.Key, e => e.Value.Select((v, i) => expected is null ? v : d * expected[e.Key][i] + (1 - d) * v).ToArray());
        }
        Assert.Equal(6 - start, task.Ema!.Updates);
        var actual = Snapshot(task.Ema.Module.StateDict());
        Assert.Equal(expected!.Keys.Order(), actual.Keys.Order());
        if (arch == "dcgan") Assert.Contains(actual.Keys, k => k.Contains("running_mean", StringComparison.Ordinal) || k.Contains("running_var", StringComparison.Ordinal));
        var raw = Snapshot(task.Networks.Generator.StateDict());
        double moved = 0;
        foreach (var (name, values) in expected)
            for (int i = 0; i < values.Length; i++)
            {
                Assert.True(Math.Abs(actual[name][i] - values[i]) <= 1e-6 + 1e-5 * Math.Abs(values[i]), $"{name}[{i}]: {actual[name][i]} against {values[i]} by hand");
                moved = Math.Max(moved, Math.Abs(raw[name][i] - values[i]));
            }
        Assert.True(moved > 1e-4, "the average should differ from the newest G, or the test proves nothing");
    }

    [Theory]
    [InlineData("toy")]
    [InlineData("dcgan")]
    public void ThreePlusThreeIterationsAreSixBitForBit_AverageIncluded(string arch)
    {
        GanTask Task() => arch == "toy" ? Toy(0.7) : Dcgan(0.7);
        var straight = Task();
        new TrainingLoop<GanBatch>(straight, Options(Path.Combine(_dir.Path, "straight"), 6)).Run();
        new TrainingLoop<GanBatch>(Task(), Options(Path.Combine(_dir.Path, "split"), 3)).Run();
        var resumed = Task();
        new TrainingLoop<GanBatch>(resumed, Options(Path.Combine(_dir.Path, "split"), 6, resume: true)).Run();

        Assert.Equal(6, resumed.Ema!.Updates);
        Assert.Equal(straight.Ema!.Updates, resumed.Ema.Updates);
        Assert.Equal(Snapshot(straight.Ema.Module.StateDict()), Snapshot(resumed.Ema.Module.StateDict()));
        Assert.Equal(Snapshot(straight.Networks.Generator.StateDict()), Snapshot(resumed.Networks.Generator.StateDict()));
        Assert.NotEqual(Snapshot(resumed.Networks.Generator.StateDict()), Snapshot(resumed.Ema.Module.StateDict()));
    }

    [Fact]
    public void ARunWithoutTheAverageGainsItAtAResume_AndTrainingIsUnchanged()
    {
        string run = Path.Combine(_dir.Path, "run"), plain = Path.Combine(_dir.Path, "plain");
        new TrainingLoop<GanBatch>(Toy(0), Options(run, 3)).Run();
        var gained = Toy(0.9);
        new TrainingLoop<GanBatch>(gained, Options(run, 6, resume: true)).Run();
        var without = Toy(0);
        new TrainingLoop<GanBatch>(without, Options(plain, 6)).Run();

        Assert.Equal(3, gained.Ema!.Updates);   // from the resume on
        Assert.Equal(Snapshot(without.Networks.Generator.StateDict()), Snapshot(gained.Networks.Generator.StateDict()));
        Assert.Equal(0.9, new CheckpointStore(run).ReadLatest().Manifest.Settings["ema"]!.GetValue<double>());
        // Resuming the averaged run with another decay is a changed setting.
        var e = Assert.Throws<DoppelException>(() => new TrainingLoop<GanBatch>(Toy(0.5), Options(run, 7, resume: true)).Run());
        Assert.Contains("ema", e.Message);
    }

    [Fact]
    public void SampleAndEvalReadTheAverageByDefault_TheRawGeneratorOnRequest_AndRunsWithoutOneAsBefore()
    {
        string averaged = Path.Combine(_dir.Path, "ema"), plain = Path.Combine(_dir.Path, "plain");
        var task = new GanTask(GanSettings.For("mlp") with { Batch = 10, Ema = 0.9 }, new FakeDigits(40));
        new TrainingLoop<GanBatch>(task, Options(averaged, 3)).Run();
        new TrainingLoop<GanBatch>(new GanTask(GanSettings.For("mlp") with { Batch = 10 }, new FakeDigits(40)), Options(plain, 3)).Run();

        var byDefault = GanModel.Open(averaged);
        Assert.True(byDefault.Averaged);
        Assert.EndsWith("generator_ema.safetensors", byDefault.WeightsPath);
        Assert.Equal(Snapshot(task.Ema!.Module.StateDict()), Snapshot(byDefault.Networks.Generator.StateDict()));
        var raw = GanModel.Open(averaged, raw: true);
        Assert.False(raw.Averaged);
        Assert.EndsWith("generator.safetensors", raw.WeightsPath);
        Assert.Equal(Snapshot(task.Networks.Generator.StateDict()), Snapshot(raw.Networks.Generator.StateDict()));

        var old = GanModel.Open(plain);
        Assert.False(old.Averaged);
        string samples = Path.Combine(_dir.Path, "samples");
        SampleWriter.Write(old, 2, samples, 1, Provenance.SyntheticOutputPolicy.Unsigned);
        Assert.True(File.Exists(Path.Combine(samples, "000001.png")));
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(1.0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void ADecayOutsideZeroToOneIsRefused(double decay)
    {
        var e = Assert.Throws<DoppelException>(() => (GanSettings.For("mlp") with { Ema = decay }).Validated());
        Assert.Contains("must be in [0, 1)", e.Message);
    }
}
