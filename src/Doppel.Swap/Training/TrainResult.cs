namespace Doppel.Swap.Training;

public enum StopReason { Iterations, Duration, Interrupted }

/// <summary>
/// What a session did: iterations (total and this session), why it stopped, losses per iteration,
/// speed after the first step (wall-clock examples/s, and process CPU seconds per step).
/// </summary>
public sealed record TrainResult(
    long Iteration,
    long SessionIterations,
    StopReason Reason,
    IReadOnlyList<(long Iteration, float LossA, float LossB)> Losses,
    double ExamplesPerSecond,
    double CpuSecondsPerStep,
    bool Weighted,
    string CheckpointDir)
{
    /// <summary>The mask branch's BCE per iteration (empty without <see cref="TrainSettings.LearnMask"/>).</summary>
    public IReadOnlyList<(long Iteration, float MaskA, float MaskB)> MaskLosses { get; init; } = [];
}
