namespace Doppel.Tensors.Optim;

/// <summary>
/// A linear warm-up before any schedule: for t &lt; W (warmup steps),
/// lr(t) = after(0) * (start_factor + (1 - start_factor) * t / W); from then on lr(t) = after(t - W),
/// so the schedule after the warm-up starts at its own step 0 when the warm-up ends. This is
/// PyTorch's SequentialLR([LinearLR(start_factor, 1.0, W), after], milestones=[W]) whenever
/// after(0) is the base rate (constant, step, cosine, a decay starting at factor 1); here the
/// ramp always ends at after(0), so there is no jump.
/// </summary>
public sealed class LinearWarmup : ISchedule
{
    public LinearWarmup(ISchedule after, long warmupSteps, double startFactor = 0.0)
    {
        OptimArgs.Positive(warmupSteps, nameof(warmupSteps));
        OptimArgs.NonNegative(startFactor, nameof(startFactor));
        After = after;
        WarmupSteps = warmupSteps;
        StartFactor = startFactor;
    }

    public ISchedule After { get; }
    public long WarmupSteps { get; }
    public double StartFactor { get; }

    public double ValueAt(long step) => step < WarmupSteps
        ? After.ValueAt(0) * (StartFactor + (1 - StartFactor) * Math.Max(0, step) / WarmupSteps)
        : After.ValueAt(step - WarmupSteps);
}
