using System.Diagnostics;

namespace Doppel.Training;

/// <summary>Keeps <see cref="RunStatus"/> current for one session: at most once a second while training, and at the start and end.</summary>
internal sealed class RunStatusWriter(string runDir, TrainingLoopOptions options, double examplesPerIteration)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly Stopwatch _sinceWrite = new();

    public void Update(string state, long iteration, double rate, TimeSpan? remaining, IReadOnlyDictionary<string, double>? metrics, bool force = false)
    {
        if (!force && _sinceWrite.IsRunning && _sinceWrite.Elapsed < Interval) return;
        _sinceWrite.Restart();
        RunStatus.Write(runDir, new RunStatus
        {
            State = state,
            Pid = Environment.ProcessId,
            Iteration = iteration,
            TargetIterations = options.Iterations,
            DurationLimitSeconds = options.Duration?.TotalSeconds,
            SessionStartedAt = _started,
            UpdatedAt = DateTimeOffset.UtcNow,
            IterationsPerSecond = rate,
            ExamplesPerSecond = rate * Math.Max(0, examplesPerIteration),
            EtaSeconds = remaining?.TotalSeconds,
            LastMetrics = metrics,
        });
    }
}
