using Doppel.Core;

namespace Doppel.Training;

/// <summary>Why a session ended (divergence and failures end it with an exception instead).</summary>
public enum StopReason { Iterations, Duration, Interrupted }

/// <summary>
/// What a session did: iterations (in total and in this session), why it stopped, every
/// iteration's metrics, the speed after the first iteration (iterations and examples per second
/// of wall time, and process CPU seconds per iteration: steadier on a shared machine, and it
/// charges the loader thread to training), and where the checkpoint is.
/// </summary>
public sealed record TrainingResult(
    long Iteration,
    long SessionIterations,
    StopReason Reason,
    MetricsHistory Metrics,
    double IterationsPerSecond,
    double ExamplesPerSecond,
    double CpuSecondsPerStep,
    string CheckpointDir)
{
    /// <summary>0, or <see cref="ExitCodes.Interrupted"/> when the user stopped the run (the checkpoint is saved).</summary>
    public int ExitCode => Reason == StopReason.Interrupted ? ExitCodes.Interrupted : ExitCodes.Ok;
}
