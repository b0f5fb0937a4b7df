using System.Globalization;

namespace Doppel.Forensics.Evaluation;

/// <summary>
/// A detector's figures under one condition (raw, or after H.264 at a CRF): AUC, accuracy and
/// the shares of reals flagged and fakes caught at the model's threshold, and the share of fakes
/// caught at the thresholds that flag 1% and 5% of these reals.
/// </summary>
public sealed record ConditionFigures(string Condition, int Reals, int Fakes, double Auc, double Accuracy,
    double RealsFlagged, double FakesCaught, double DetectionAt1, double DetectionAt5)
{
    public static ConditionFigures Of(string condition, IReadOnlyList<float> reals, IReadOnlyList<float> fakes, float threshold) =>
        new(condition, reals.Count, fakes.Count, RocMetrics.Auc(reals, fakes), RocMetrics.Accuracy(reals, fakes, threshold),
            RocMetrics.RateAtOrAbove(reals, threshold), RocMetrics.RateAtOrAbove(fakes, threshold),
            RocMetrics.DetectionAtFpr(reals, fakes, 0.01), RocMetrics.DetectionAtFpr(reals, fakes, 0.05));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Condition}: AUC {Auc:F4}, accuracy {(Accuracy) * 100:F1}%, reals flagged {(RealsFlagged) * 100:F1}%, fakes caught {(FakesCaught) * 100:F1}% (at the threshold); caught at 1% FPR {(DetectionAt1) * 100:F1}%, at 5% FPR {(DetectionAt5) * 100:F1}% ({Reals} reals, {Fakes} fakes)");
}
