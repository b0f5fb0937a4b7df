using Doppel.Training.Tests.Support;

namespace Doppel.Training.Tests;

/// <summary>The loop with the layers a detector or a GAN uses: batch norm buffers and dropout masks survive a resume.</summary>
public class ClassifierTaskTests
{
    private static TrainingLoopOptions Options(string dir, long iterations, bool resume = false) => new()
    {
        OutputDir = dir, Iterations = iterations, Resume = resume, SaveEvery = 0, PreviewEvery = 0, Log = TextWriter.Null,
    };

    [Fact]
    public void TheClassifierLearnsTheStripes()
    {
        using var dir = new TempDir();
        var result = new TrainingLoop<ImageBatch>(new ToyClassifierTask(), Options(dir.Path, 120)).Run();
        var acc = result.Metrics.Series("acc").Select(a => a.Value).ToList();
        var loss = result.Metrics.Series("loss").Select(a => a.Value).ToList();
        // Training accuracy, under dropout, on batches of 8: noisy, so averaged over 20 iterations.
        Assert.True(acc.TakeLast(20).Average() > 0.85, $"accuracy over the last 20 iterations {acc.TakeLast(20).Average():F2} (first 20: {acc.Take(20).Average():F2})");
        Assert.True(loss.TakeLast(10).Average() < 0.5 * loss.Take(5).Average());
    }

    [Fact]
    public void BatchNormAndDropoutStateSurviveAResume()
    {
        using var dir = new TempDir();
        var straightTask = new ToyClassifierTask();
        var straight = new TrainingLoop<ImageBatch>(straightTask, Options(dir.Sub("straight"), 6)).Run();
        var first = new TrainingLoop<ImageBatch>(new ToyClassifierTask(), Options(dir.Sub("split"), 3)).Run();
        var resumedTask = new ToyClassifierTask();
        var second = new TrainingLoop<ImageBatch>(resumedTask, Options(dir.Sub("split"), 6, resume: true)).Run();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(straight.Metrics.Row(i), first.Metrics.Row(i));
            Assert.Equal(straight.Metrics.Row(i + 3), second.Metrics.Row(i));
        }
        foreach (var ((name, a), (_, b)) in straightTask.AllState().Zip(resumedTask.AllState())) Assert.True(a.SequenceEqual(b), $"{name} differs after resume");
        Assert.Contains(resumedTask.Net.StateDict(), s => s.Name == "1.num_batches_tracked" && s.Tensor.Item() == 6);
        Assert.Equal(straightTask.DropoutRng.State, resumedTask.DropoutRng.State);
    }
}
