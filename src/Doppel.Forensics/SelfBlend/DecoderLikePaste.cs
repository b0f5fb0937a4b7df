using Doppel.Datasets.Augmentation;
using Doppel.Media.Imaging;

namespace Doppel.Forensics.SelfBlend;

/// <summary>
/// The pasted copy of a self-blend made to look like a face-swap decoder's output: drawn at a
/// lower resolution than the face around it (down-and-up-scaled), and often coloured to fit as a
/// converter fits a decoder's face (<see cref="DecoderColorMatch"/>: by mean, by gain, or by taking
/// the target's low frequencies as Poisson cloning does). Measured at the
/// detector's 64 px input on Doppel's swaps of franck.mp4 (docs/forensics.md): the mean absolute
/// Laplacian inside the face is 0.38 of the ring around it (a real face: 0.98), about what a
/// down-and-up-scale by 2.5 does to the whole face; the ordinary self-blend's copy (softened half
/// the time, by 1.5-3x, and pasted or kept as background at random) gives 0.74-0.81.
/// </summary>
public static class DecoderLikePaste
{
    /// <summary>Shifts each channel of <paramref name="source"/> so that its mean weighted by <paramref name="weights"/> equals the target's.</summary>
    public static void MatchMean(RgbImage source, RgbImage target, ReadOnlySpan<float> weights)
    {
        var (have, want) = WeightedMeans(source, target, weights);
        if (have is null) return;
        Span<float> shift = stackalloc float[3];
        for (int c = 0; c < 3; c++) shift[c] = (float)(want![c] - have[c]);
        byte[] s = source.Data;
        for (int i = 0; i < s.Length; i++) s[i] = (byte)Math.Clamp(s[i] + shift[i % 3] + 0.5f, 0f, 255f);
    }

    /// <summary>Colours <paramref name="source"/> to fit <paramref name="target"/> inside <paramref name="weights"/> by <paramref name="match"/>.</summary>
    public static void Match(DecoderColorMatch match, RgbImage source, RgbImage target, ReadOnlySpan<float> weights)
    {
        switch (match)
        {
            case DecoderColorMatch.Mean: MatchMean(source, target, weights); break;
            case DecoderColorMatch.Gain: MatchGain(source, target, weights); break;
            case DecoderColorMatch.LowFrequency: MatchLowFrequency(source, target); break;
            default: throw new ArgumentOutOfRangeException(nameof(match));
        }
    }

    /// <summary>Scales each channel of <paramref name="source"/> so that its mean weighted by <paramref name="weights"/> equals the target's.</summary>
    public static void MatchGain(RgbImage source, RgbImage target, ReadOnlySpan<float> weights)
    {
        var (have, want) = WeightedMeans(source, target, weights);
        if (have is null) return;
        Span<float> gain = stackalloc float[3];
        for (int c = 0; c < 3; c++) gain[c] = have[c] < GainMinimumMean ? 1f : (float)Math.Clamp(want![c] / have[c], 1 / GainMaximum, GainMaximum);
        byte[] s = source.Data;
        for (int i = 0; i < s.Length; i++) s[i] = (byte)Math.Clamp(s[i] * gain[i % 3] + 0.5f, 0f, 255f);
    }

    // The bounds of convert's GainColorMatch (Doppel.Swap, which Forensics does not reference), so
    // the pastes are fitted as convert fits a swap: a channel this dark inside the mask carries too
    // little to scale and is left; no channel is scaled by more than this factor either way.
    private const double GainMinimumMean = 4, GainMaximum = 4;

    /// <summary>
    /// Adds the low-pass of (target - source) to the source: the source then has the target's
    /// colours at every scale above <see cref="LowFrequencySigma"/> of the side and keeps its own
    /// detail below it. Poisson cloning's result differs from the pasted face by a smooth membrane;
    /// this is the same kind of change without solving the equation.
    /// </summary>
    public static void MatchLowFrequency(RgbImage source, RgbImage target)
    {
        if (source.Width != target.Width || source.Height != target.Height || source.Width != source.Height)
            throw new ArgumentException("source and target must be the same square size");
        byte[] s = source.Data, t = target.Data;
        var difference = new float[s.Length];
        for (int i = 0; i < s.Length; i++) difference[i] = t[i] - s[i];
        GaussianBlur.Apply(difference, source.Width, 3, LowFrequencySigma * source.Width);
        for (int i = 0; i < s.Length; i++) s[i] = (byte)Math.Clamp(s[i] + difference[i] + 0.5f, 0f, 255f);
    }

    /// <summary>The low-pass of <see cref="MatchLowFrequency"/>, as a fraction of the side: about a third of an eye's width on an aligned crop.</summary>
    public const double LowFrequencySigma = 0.06;

    private static (double[]? Have, double[]? Want) WeightedMeans(RgbImage source, RgbImage target, ReadOnlySpan<float> weights)
    {
        byte[] s = source.Data, t = target.Data;
        double[] have = new double[3], want = new double[3];
        double total = 0;
        for (int p = 0; p < weights.Length; p++)
        {
            float w = weights[p];
            if (w <= 0) continue;
            total += w;
            for (int c = 0; c < 3; c++) { have[c] += w * s[3 * p + c]; want[c] += w * t[3 * p + c]; }
        }
        if (total <= 0) return (null, null);
        for (int c = 0; c < 3; c++) { have[c] /= total; want[c] /= total; }
        return (have, want);
    }

    /// <summary>
    /// Stretches each channel of <paramref name="soft"/> about its mean so that its spread (standard
    /// deviation) is the <paramref name="sharp"/> original's again: the fine detail stays lost, the
    /// contrast of eyes, brows and shading comes back. A swap fitted by gain looks like this (at
    /// the face's centre its luma spread is a real face's, 70 against 72 levels, where a mean-fitted
    /// swap is flat, 47), so a detector that only saw flat pastes takes it for real.
    /// </summary>
    public static void RestoreContrast(RgbImage soft, RgbImage sharp)
    {
        byte[] s = soft.Data, o = sharp.Data;
        Span<float> mean = stackalloc float[3], gain = stackalloc float[3];
        for (int c = 0; c < 3; c++)
        {
            var (softMean, softSd) = Moments(s, c);
            var (_, sharpSd) = Moments(o, c);
            mean[c] = (float)softMean;
            // Never flatter than it is, and no more than twice as contrasty: a nearly flat channel has no shape to restore.
            gain[c] = softSd < 1 ? 1f : (float)Math.Clamp(sharpSd / softSd, 1, 2);
        }
        for (int i = 0; i < s.Length; i++)
        {
            int c = i % 3;
            s[i] = (byte)Math.Clamp(mean[c] + (s[i] - mean[c]) * gain[c] + 0.5f, 0f, 255f);
        }
    }

    private static (double Mean, double Sd) Moments(byte[] data, int channel)
    {
        double sum = 0, squares = 0;
        int n = 0;
        for (int i = channel; i < data.Length; i += 3) { sum += data[i]; squares += (double)data[i] * data[i]; n++; }
        double mean = sum / n;
        return (mean, Math.Sqrt(Math.Max(0, squares / n - mean * mean)));
    }
}
