using Doppel.Datasets.Tests.Support;
using Doppel.Gan.Tests.Support;
using Doppel.Gan.Training;
using Doppel.Tensors;
using Doppel.Training;

namespace Doppel.Gan.Tests;

/// <summary>--anneal-start/--anneal-end: both rates fall linearly to zero, counted in iterations for G and D alike, and the anneal may be added at a resume.</summary>
public sealed class AnnealTests
{
    private static GanSettings Annealed(int k, long start, long end) =>
        GanSettings.For("mlp") with { Batch = 10, K = k, Optimizer = GanSettings.Adam, LrG = 0.01, LrD = 0.02, AnnealStart = start, AnnealEnd = end };

    private static Dictionary<string, float[]> Weights(GanTask t) =>
        t.Networks.Generator.StateDict("g.").Concat(t.Networks.Discriminator.StateDict("d.")).ToDictionary(s => s.Name, s => s.Tensor.ToArray());

    private static void Iterate(GanTask task, long iteration)
    {
        using var batch = task.MakeBatch(iteration);
        using (TensorScope.Begin()) task.Step(batch, iteration);
    }

    [Fact]
    public void RatesFallLinearlyFromTheStartToZeroAtTheEndAndThenNothingMoves()
    {
        // Anneal from iteration 1 to 3 with k = 2: the D schedule counts two updates per iteration.
        var task = new GanTask(Annealed(k: 2, start: 1, end: 3), new FakeDigits(100));
        Iterate(task, 0);
        Assert.Equal(0.01f, task.GeneratorOptimizer.LearningRate);
        Assert.Equal(0.02f, task.DiscriminatorOptimizer.LearningRate);   // its second update, update 1 of the run
        Iterate(task, 1);
        Assert.Equal(0.01f, task.GeneratorOptimizer.LearningRate);      // iteration 1: the anneal's start, full rate
        Assert.Equal(0.02f * 0.75f, task.DiscriminatorOptimizer.LearningRate, 6);   // update 3 of the D anneal's 2..6
        Iterate(task, 2);
        Assert.Equal(0.005f, task.GeneratorOptimizer.LearningRate, 6);  // halfway
        var before = Weights(task);
        Iterate(task, 3);
        Assert.Equal(0f, task.GeneratorOptimizer.LearningRate);
        Assert.Equal(0f, task.DiscriminatorOptimizer.LearningRate);
        Assert.Equal(before, Weights(task));   // at the end the rates are zero: neither network moves
    }

    [Fact]
    public void AnAnnealAddedAtResumeGivesTheSameRunAsOneSetFromTheStart()
    {
        using var dir = new TempDir();
        TrainingLoopOptions Options(string name, long n, bool resume = false) => new()
        {
            OutputDir = Path.Combine(dir.Path, name), Iterations = n, Resume = resume, SaveEvery = 0, PreviewEvery = 0, Log = TextWriter.Null,
        };
        var plain = Annealed(k: 1, start: 0, end: 0);
        var straightTask = new GanTask(Annealed(k: 1, start: 2, end: 4), new FakeDigits(60));
        new TrainingLoop<GanBatch>(straightTask, Options("straight", 4)).Run();
        new TrainingLoop<GanBatch>(new GanTask(plain, new FakeDigits(60)), Options("later", 2)).Run();
        var resumedTask = new GanTask(Annealed(k: 1, start: 2, end: 4), new FakeDigits(60));
        var resumed = new TrainingLoop<GanBatch>(resumedTask, Options("later", 4, resume: true)).Run();
        Assert.Equal(4, resumed.Iteration);
        Assert.Equal(Weights(straightTask), Weights(resumedTask));

        // An anneal that has already ended would train nothing: refused with a hint.
        var ended = Assert.Throws<Doppel.Core.DoppelException>(() =>
            new TrainingLoop<GanBatch>(new GanTask(Annealed(k: 1, start: 1, end: 3), new FakeDigits(60)), Options("later", 6, resume: true)).Run());
        Assert.Contains("--anneal-end 3", ended.Message);
        Assert.NotNull(ended.Hint);

        // Other settings still may not change at a resume.
        var e = Assert.Throws<Doppel.Core.DoppelException>(() =>
            new TrainingLoop<GanBatch>(new GanTask(plain with { LrG = 0.02 }, new FakeDigits(60)), Options("later", 5, resume: true)).Run());
        Assert.Contains("lrG", e.Message);
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(6, 5)]
    [InlineData(5, 0)]
    [InlineData(-1, 5)]
    public void AnAnnealWithoutAnEndAfterItsStartIsRefusedWithAHint(long start, long end)
    {
        var e = Assert.Throws<Doppel.Core.DoppelException>(() => (GanSettings.For("mlp") with { AnnealStart = start, AnnealEnd = end }).Validated());
        Assert.Contains("--anneal-start", e.Message);
        Assert.NotNull(e.Hint);
    }
}
