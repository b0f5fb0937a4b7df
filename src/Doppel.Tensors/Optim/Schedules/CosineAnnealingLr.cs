namespace Doppel.Tensors.Optim;

/// <summary>
/// Cosine annealing, PyTorch's CosineAnnealingLR (SGDR without restarts):
/// lr(t) = eta_min + (base_lr - eta_min) * (1 + cos(pi * t / t_max)) / 2,
/// from base_lr at step 0 down to eta_min at step t_max. Like PyTorch's, it does not stop there:
/// past t_max the cosine climbs back towards base_lr (period 2 t_max); size t_max to the run.
/// </summary>
public sealed class CosineAnnealingLr : ISchedule
{
    public CosineAnnealingLr(double baseLr, long tMax, double etaMin = 0)
    {
        OptimArgs.NonNegative(baseLr, nameof(baseLr));
        OptimArgs.Positive(tMax, nameof(tMax));
        OptimArgs.NonNegative(etaMin, nameof(etaMin));
        BaseLr = baseLr;
        TMax = tMax;
        EtaMin = etaMin;
    }

    public double BaseLr { get; }
    public long TMax { get; }
    public double EtaMin { get; }

    public double ValueAt(long step) => EtaMin + (BaseLr - EtaMin) * (1 + Math.Cos(Math.PI * Math.Max(0, step) / TMax)) / 2;
}
