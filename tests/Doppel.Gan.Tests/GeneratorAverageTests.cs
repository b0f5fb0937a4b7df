using Doppel.Core;
using Doppel.Gan.Sampling;
using Doppel.Gan.Tests.Support;
using Doppel.Gan.Training;
using Doppel.Training;

namespace Doppel.Gan.Tests;

/// <summary>gan average: the element-wise mean of one run's generators, readable by sample/eval, never resumed.</summary>
public sealed class GeneratorAverageTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static GanTask Task(GanSettings? settings = null) => new(settings ?? GanSettings.For("mlp") with { Batch = 10 }, new FakeDigits(40));

    private static TrainingLoopOptions Options(string dir, long iterations, bool resume) =>
        new() { OutputDir = dir, Iterations = iterations, Resume = resume, SaveEvery = 0, PreviewEvery = 0, Log = TextWriter.Null };

    // Trains one run to 1, 2 and 3 iterations and keeps a copy of its checkpoint at each, as a user copies it while it trains.
    private List<string> Snapshots()
    {
        string run = Path.Combine(_dir.Path, "run");
        var copies = new List<string>();
        for (int it = 1; it <= 3; it++)
        {
            new TrainingLoop<GanBatch>(Task(), Options(run, it, resume: it > 1)).Run();
            string copy = Path.Combine(_dir.Path, $"at{it}", CheckpointStore.CurrentName);
            Directory.CreateDirectory(copy);
            foreach (string f in Directory.GetFiles(Path.Combine(run, CheckpointStore.CurrentName))) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
            copies.Add(Path.GetDirectoryName(copy)!);
        }
        return copies;
    }

    [Fact]
    public void TheAverageIsTheElementwiseMeanOfTheGenerators_AndSamplesLikeAnyModel()
    {
        var inputs = Snapshots();
        string output = Path.Combine(_dir.Path, "avg");
        var averaged = GeneratorAverage.Write(inputs, output);

        var generators = inputs.Select(i => GanModel.Open(i).Networks.Generator.StateDict().ToDictionary(s => s.Name, s => s.Tensor.ToArray())).ToList();
        Assert.NotEqual(generators[0]["net.0.weight"], generators[2]["net.0.weight"]);   // the run moved
        foreach (var (name, tensor) in averaged.Networks.Generator.StateDict())
        {
            var actual = tensor.ToArray();
            for (int j = 0; j < actual.Length; j += 97)
                Assert.Equal((generators[0][name][j] + (double)generators[1][name][j] + generators[2][name][j]) / 3, actual[j], tolerance: 1e-7);   // float32 of the mean
        }
        Assert.Equal(3, averaged.Checkpoint.Iteration);   // the newest input's
        Assert.Equal(GanModel.Open(inputs[0]).Settings, averaged.Settings);
        var samples = GanSampler.Generate(averaged.Networks, GanSampler.Noise(4, averaged.Settings.ZDim, new Tensors.Nn.Rng(1), averaged.Settings.Noise));
        Assert.Equal(4 * 28 * 28, samples.Length);
    }

    [Fact]
    public void ResumingAnAverageIsRefusedAndItsSourcesAreUntouched()
    {
        var inputs = Snapshots();
        var before = File.ReadAllBytes(Path.Combine(inputs[0], CheckpointStore.CurrentName, "generator.safetensors"));
        string output = Path.Combine(_dir.Path, "avg");
        GeneratorAverage.Write(inputs, output);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(inputs[0], CheckpointStore.CurrentName, "generator.safetensors")));

        var e = Assert.Throws<DoppelException>(() => new TrainingLoop<GanBatch>(Task(), Options(output, 5, resume: true)).Run());
        Assert.Contains("average of generators", e.Message);
        Assert.Contains("resume the run", e.Hint);
        // Writing over it is refused too.
        Assert.Throws<DoppelException>(() => GeneratorAverage.Write(inputs, output));
    }

    [Fact]
    public void OneCheckpointOrCheckpointsOfDifferentRunsAreRefused()
    {
        var inputs = Snapshots();
        var one = Assert.Throws<DoppelException>(() => GeneratorAverage.Write(inputs.Take(1).ToList(), Path.Combine(_dir.Path, "one")));
        Assert.Contains("at least two", one.Message);

        string other = Path.Combine(_dir.Path, "other");
        new TrainingLoop<GanBatch>(Task(GanSettings.For("mlp") with { Batch = 10, Seed = 9 }), Options(other, 1, resume: false)).Run();
        var mixed = Assert.Throws<DoppelException>(() => GeneratorAverage.Write([inputs[0], other], Path.Combine(_dir.Path, "mixed")));
        Assert.Contains("not a checkpoint of the same run", mixed.Message);
        Assert.Contains("seed", mixed.Message);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "mixed")));
    }
}
