namespace Doppel.Forensics.Evaluation;

/// <summary>
/// Figures of a detector from scores of real faces (negatives) and fakes (positives), higher
/// meaning more likely fake: AUC (the chance a random fake outscores a random real, ties
/// counting half), the threshold that flags a given fraction of reals, and the fractions of
/// reals and fakes at or above a threshold.
/// </summary>
public static class RocMetrics
{
    public static double Auc(IReadOnlyList<float> reals, IReadOnlyList<float> fakes)
    {
        if (reals.Count == 0 || fakes.Count == 0) return double.NaN;
        // Mann-Whitney U from ranks of the pooled scores (average ranks for ties).
        var all = reals.Select(s => (Score: s, Fake: false)).Concat(fakes.Select(s => (Score: s, Fake: true))).OrderBy(p => p.Score).ToArray();
        double fakeRankSum = 0;
        for (int i = 0; i < all.Length;)
        {
            int j = i;
            while (j < all.Length && all[j].Score == all[i].Score) j++;
            double rank = (i + j + 1) / 2.0; // ranks i+1 .. j averaged
            for (int k = i; k < j; k++) if (all[k].Fake) fakeRankSum += rank;
            i = j;
        }
        double u = fakeRankSum - fakes.Count * (fakes.Count + 1) / 2.0;
        return u / ((double)fakes.Count * reals.Count);
    }

    /// <summary>
    /// The lowest threshold at which at most <paramref name="fpr"/> of <paramref name="reals"/> score at or
    /// above it: the (1 - fpr) quantile, nudged above ties so the rate is not exceeded.
    /// </summary>
    public static float ThresholdAtFpr(IReadOnlyList<float> reals, double fpr)
    {
        if (reals.Count == 0) throw new ArgumentException("no real scores to calibrate on", nameof(reals));
        var sorted = reals.OrderByDescending(s => s).ToArray();
        int allowed = (int)Math.Floor(fpr * sorted.Length); // this many reals may be flagged
        if (allowed >= sorted.Length) return 0f;
        // Just above the (allowed+1)-th highest real score: the top 'allowed' stay at or above it.
        return MathF.BitIncrement(sorted[allowed]);
    }

    /// <summary>Fraction of scores at or above the threshold.</summary>
    public static double RateAtOrAbove(IReadOnlyList<float> scores, float threshold) =>
        scores.Count == 0 ? double.NaN : scores.Count(s => s >= threshold) / (double)scores.Count;

    /// <summary>Accuracy with reals below and fakes at or above the threshold.</summary>
    public static double Accuracy(IReadOnlyList<float> reals, IReadOnlyList<float> fakes, float threshold) =>
        (reals.Count(s => s < threshold) + fakes.Count(s => s >= threshold)) / (double)(reals.Count + fakes.Count);

    /// <summary>Fraction of fakes caught at the threshold that flags <paramref name="fpr"/> of the reals.</summary>
    public static double DetectionAtFpr(IReadOnlyList<float> reals, IReadOnlyList<float> fakes, double fpr) =>
        RateAtOrAbove(fakes, ThresholdAtFpr(reals, fpr));
}
