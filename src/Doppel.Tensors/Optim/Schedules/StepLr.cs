namespace Doppel.Tensors.Optim;

/// <summary>
/// Step decay, PyTorch's StepLR: lr(t) = base_lr * gamma^floor(t / step_size), i.e. the rate is
/// multiplied by gamma every step_size steps.
/// </summary>
public sealed class StepLr : ISchedule
{
    public StepLr(double baseLr, long stepSize, double gamma = 0.1)
    {
        OptimArgs.NonNegative(baseLr, nameof(baseLr));
        OptimArgs.Positive(stepSize, nameof(stepSize));
        OptimArgs.NonNegative(gamma, nameof(gamma));
        BaseLr = baseLr;
        StepSize = stepSize;
        Gamma = gamma;
    }

    public double BaseLr { get; }
    public long StepSize { get; }
    public double Gamma { get; }

    public double ValueAt(long step) => BaseLr * Math.Pow(Gamma, Math.Max(0, step) / StepSize);
}
