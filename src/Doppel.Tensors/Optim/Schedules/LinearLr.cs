namespace Doppel.Tensors.Optim;

/// <summary>
/// A linear change of the rate, PyTorch's LinearLR:
/// lr(t) = base_lr * (start_factor + (end_factor - start_factor) * min(t, total_steps) / total_steps),
/// so base_lr * start_factor at step 0 and base_lr * end_factor from step total_steps on.
/// PyTorch's defaults (1/3, 1, 5) make it a warm-up; <see cref="Decay"/> makes it a decay.
/// </summary>
public sealed class LinearLr : ISchedule
{
    public LinearLr(double baseLr, double startFactor = 1.0 / 3, double endFactor = 1.0, long totalSteps = 5)
    {
        OptimArgs.NonNegative(baseLr, nameof(baseLr));
        OptimArgs.NonNegative(startFactor, nameof(startFactor));
        OptimArgs.NonNegative(endFactor, nameof(endFactor));
        OptimArgs.Positive(totalSteps, nameof(totalSteps));
        BaseLr = baseLr;
        StartFactor = startFactor;
        EndFactor = endFactor;
        TotalSteps = totalSteps;
    }

    /// <summary>Linear decay from <paramref name="from"/> to <paramref name="to"/> over <paramref name="steps"/> steps, then constant:
    /// LinearLR with base_lr = from, start_factor = 1, end_factor = to / from.</summary>
    public static LinearLr Decay(double from, double to, long steps)
    {
        if (!(from > 0)) throw new ArgumentOutOfRangeException(nameof(from), from, "the initial rate of a linear decay must be > 0");
        return new LinearLr(from, 1.0, to / from, steps);
    }

    public double BaseLr { get; }
    public double StartFactor { get; }
    public double EndFactor { get; }
    public long TotalSteps { get; }

    public double ValueAt(long step) =>
        BaseLr * (StartFactor + (EndFactor - StartFactor) * Math.Clamp(step, 0, TotalSteps) / TotalSteps);
}
