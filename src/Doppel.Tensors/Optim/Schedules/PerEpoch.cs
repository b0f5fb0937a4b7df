namespace Doppel.Tensors.Optim;

/// <summary>
/// A schedule over epochs driven by the optimiser's step: value(t) = inner(floor(t / steps_per_epoch)),
/// i.e. inner is evaluated at the number of epochs completed before this update, and the value
/// stays fixed within an epoch (pylearn2 and PyTorch's per-epoch schedulers change it at epoch ends).
/// </summary>
public sealed class PerEpoch : ISchedule
{
    public PerEpoch(ISchedule inner, long stepsPerEpoch)
    {
        OptimArgs.Positive(stepsPerEpoch, nameof(stepsPerEpoch));
        Inner = inner;
        StepsPerEpoch = stepsPerEpoch;
    }

    public ISchedule Inner { get; }
    public long StepsPerEpoch { get; }

    public double ValueAt(long step) => Inner.ValueAt(Math.Max(0, step) / StepsPerEpoch);
}
