using Doppel.Training.Tests.Support;

namespace Doppel.Training.Tests;

/// <summary>status.json (what Studio watches) and the metrics.csv reader.</summary>
public class RunStatusTests
{
    private static TrainingLoopOptions Options(string dir, long iterations) => new()
    {
        OutputDir = dir, Iterations = iterations, SaveEvery = 0, PreviewEvery = 0, Log = TextWriter.Null,
    };

    [Fact]
    public void WhileTrainingTheStatusIsRunningAndLive_AndAtTheEndItSaysWhyItStopped()
    {
        using var dir = new TempDir();
        RunStatus? during = null;
        var loop = new TrainingLoop<ToyBatch>(new ToyTask(), Options(dir.Path, 30))
        {
            // The first write is forced at the start; later ones come at most once a second.
            OnIteration = (i, _) => { if (i == 1) during = RunStatus.Read(dir.Path); },
        };
        loop.Run();
        Assert.NotNull(during);
        Assert.Equal("running", during!.State);
        Assert.True(during.IsLive);
        Assert.Equal(Environment.ProcessId, during.Pid);
        Assert.Equal(30, during.TargetIterations);

        var end = RunStatus.Read(dir.Path)!;
        Assert.Equal("finished", end.State);
        Assert.False(end.IsLive);
        Assert.Equal(30, end.Iteration);
        Assert.True(end.IterationsPerSecond > 0);
        Assert.True(end.LastMetrics!.ContainsKey("loss"));
    }

    [Fact]
    public void ACancelledRunSaysInterrupted_AndADivergedOneSaysDiverged()
    {
        using var dir = new TempDir();
        using var cancel = new CancellationTokenSource();
        new TrainingLoop<ToyBatch>(new ToyTask(), Options(dir.Sub("a"), 100)) { OnIteration = (i, _) => { if (i == 3) cancel.Cancel(); } }.Run(cancel.Token);
        Assert.Equal("interrupted", RunStatus.Read(dir.Sub("a"))!.State);

        Assert.Throws<Doppel.Core.DoppelException>(() => new TrainingLoop<ToyBatch>(new ToyTask { NanAt = 2 }, Options(dir.Sub("b"), 10)).Run());
        var diverged = RunStatus.Read(dir.Sub("b"))!;
        Assert.Equal("diverged", diverged.State);
        Assert.Equal(2, diverged.Iteration);
    }

    [Fact]
    public void AStatusFromADeadProcessIsNotLive_AndAnUnreadableOneIsNone()
    {
        using var dir = new TempDir();
        RunStatus.Write(dir.Path, new RunStatus { State = "running", Pid = int.MaxValue - 7, Iteration = 5, SessionStartedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
        Assert.False(RunStatus.Read(dir.Path)!.IsLive);
        File.WriteAllText(Path.Combine(dir.Path, RunStatus.FileName), "{ torn");
        Assert.Null(RunStatus.Read(dir.Path));
    }

    [Fact]
    public void TheMetricsReader_ReadsWhatTheLogWrites_SkippingATornLastLine()
    {
        using var dir = new TempDir();
        string path = dir.Sub("metrics.csv");
        var log = new CsvMetricsLog(path);
        log.Add(1, 0.5, new Dictionary<string, double> { ["loss_a"] = 0.25 });
        log.Add(2, 1.0, new Dictionary<string, double> { ["loss_a"] = 0.125, ["loss_b"] = 0.5 });
        File.AppendAllText(path, "3,1.5,0.1"); // an append in progress
        var table = CsvMetricsReader.Read(path);
        Assert.Equal(["iteration", "seconds", "loss_a", "loss_b"], table.Columns);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal([1, 0.5, 0.25, double.NaN], table.Rows[0]);
        Assert.Equal([2, 1.0, 0.125, 0.5], table.Rows[1]);
        Assert.Equal(2, Assert.Single(CsvMetricsReader.Read(path, after: 1).Rows)[0]);
    }
}
