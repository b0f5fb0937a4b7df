namespace Doppel.Swap.Training;

public enum StopReason { Iterations, Duration, Interrupted }

/// <summary>What a session did: iterations (total and this session), why it stopped, losses per iteration, speed.</summary>
public sealed record TrainResult(
    long Iteration,
    long SessionIterations,
    StopReason Reason,
    IReadOnlyList<(long Iteration, float LossA, float LossB)> Losses,
    double ExamplesPerSecond,
    bool Weighted,
    string CheckpointDir);
