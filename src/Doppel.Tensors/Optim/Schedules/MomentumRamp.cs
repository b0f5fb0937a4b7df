namespace Doppel.Tensors.Optim;

/// <summary>
/// A linear ramp between two values, pylearn2's MomentumAdjustor (the momentum schedule of
/// Goodfellow et al.'s GAN: 0.5 to 0.7 between epochs 1 and 250):
/// alpha = clamp((t - start) / (saturate - start), 0, 1); value(t) = initial * (1 - alpha) + alpha * final,
/// so initial up to step start, final from step saturate on (start = saturate: a jump there).
/// t is the optimiser's step; for a ramp over epochs wrap it in <see cref="PerEpoch"/> (pylearn2
/// counts the epochs already seen).
/// </summary>
public sealed class MomentumRamp : ISchedule
{
    public MomentumRamp(double initial, double final, long start, long saturate)
    {
        OptimArgs.NonNegative(initial, nameof(initial));
        OptimArgs.NonNegative(final, nameof(final));
        if (start < 0) throw new ArgumentOutOfRangeException(nameof(start), start, "the ramp's start must be >= 0");
        if (saturate < start) throw new ArgumentOutOfRangeException(nameof(saturate), saturate, $"the ramp cannot saturate (at {saturate}) before it starts (at {start})");
        Initial = initial;
        Final = final;
        Start = start;
        Saturate = saturate;
    }

    public double Initial { get; }
    public double Final { get; }
    public long Start { get; }
    public long Saturate { get; }

    public double ValueAt(long step)
    {
        if (Saturate == Start) return step >= Saturate ? Final : Initial;
        double alpha = Math.Clamp((double)(step - Start) / (Saturate - Start), 0, 1);
        return Initial * (1 - alpha) + alpha * Final;
    }
}
