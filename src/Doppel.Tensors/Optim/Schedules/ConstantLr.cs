namespace Doppel.Tensors.Optim;

/// <summary>
/// lr(t) = lr for every step: no schedule, but one that composes (e.g. under <see cref="LinearWarmup"/>).
/// Not PyTorch's ConstantLR, which multiplies the rate by a factor for the first total_iters steps.
/// </summary>
public sealed class ConstantLr : ISchedule
{
    public ConstantLr(double lr)
    {
        OptimArgs.NonNegative(lr, nameof(lr));
        Lr = lr;
    }

    public double Lr { get; }

    public double ValueAt(long step) => Lr;
}
