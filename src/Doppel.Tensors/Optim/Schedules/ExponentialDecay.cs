namespace Doppel.Tensors.Optim;

/// <summary>
/// pylearn2's ExponentialDecay, the learning-rate schedule of Goodfellow et al.'s MNIST GAN
/// (decay factor 1.000004, floor 1e-6): value(t) = max(initial / factor^t, floor), t the number
/// of updates before this one. A factor of 1 keeps the initial value.
/// </summary>
public sealed class ExponentialDecay : ISchedule
{
    public ExponentialDecay(double initial, double factor, double floor = 0)
    {
        OptimArgs.NonNegative(initial, nameof(initial));
        OptimArgs.NonNegative(floor, nameof(floor));
        if (!(factor >= 1) || double.IsInfinity(factor)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "the decay factor must be a finite number >= 1");
        Initial = initial;
        Factor = factor;
        Floor = floor;
    }

    public double Initial { get; }
    public double Factor { get; }
    public double Floor { get; }

    public double ValueAt(long step) => Math.Max(Initial / Math.Pow(Factor, Math.Max(0, step)), Floor);
}
