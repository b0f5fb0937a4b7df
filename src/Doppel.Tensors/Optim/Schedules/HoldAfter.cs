namespace Doppel.Tensors.Optim;

/// <summary>
/// A schedule that stops changing: value(t) = inner(min(t, last)). <see cref="CosineAnnealingLr"/>
/// climbs back after its t_max, as PyTorch's does; held after t_max it is a decay to eta_min that
/// stays there (PyTorch: SequentialLR of the cosine and a ConstantLR at eta_min).
/// </summary>
public sealed class HoldAfter : ISchedule
{
    public HoldAfter(ISchedule inner, long last)
    {
        if (last < 0) throw new ArgumentOutOfRangeException(nameof(last), last, "the last changing step must be >= 0");
        Inner = inner;
        Last = last;
    }

    public ISchedule Inner { get; }
    public long Last { get; }

    public double ValueAt(long step) => Inner.ValueAt(Math.Min(step, Last));
}
