namespace Doppel.Tensors.Optim;

/// <summary>
/// Another schedule, then a linear fall to zero: value(t) = inner(t) * f(t), where f is 1 up to
/// step <see cref="Start"/>, falls linearly to 0 at step <see cref="End"/> and stays 0 after.
/// This is the "keep the rate, then decay it linearly to zero" of pix2pix and CycleGAN: the last
/// updates get ever smaller, so the final weights settle instead of jittering around where the
/// constant rate left them.
/// </summary>
public sealed class LinearAnneal : ISchedule
{
    public LinearAnneal(ISchedule inner, long start, long end)
    {
        if (start < 0) throw new ArgumentOutOfRangeException(nameof(start), start, "the anneal must start at step 0 or later");
        if (end <= start) throw new ArgumentOutOfRangeException(nameof(end), end, "the anneal must end after it starts");
        Inner = inner;
        Start = start;
        End = end;
    }

    public ISchedule Inner { get; }
    public long Start { get; }
    public long End { get; }

    public double ValueAt(long step) => Inner.ValueAt(step) * Math.Clamp((double)(End - step) / (End - Start), 0, 1);
}
