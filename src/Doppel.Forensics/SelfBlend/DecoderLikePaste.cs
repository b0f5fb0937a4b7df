using Doppel.Media.Imaging;

namespace Doppel.Forensics.SelfBlend;

/// <summary>
/// The pasted copy of a self-blend made to look like a face-swap decoder's output: drawn at a
/// lower resolution than the face around it (down-and-up-scaled), and with its mean colour inside
/// the mask shifted to the target's, as <c>doppel convert --color mean</c> does. Measured at the
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
        byte[] s = source.Data, t = target.Data;
        Span<double> have = stackalloc double[3], want = stackalloc double[3];
        double total = 0;
        for (int p = 0; p < weights.Length; p++)
        {
            float w = weights[p];
            if (w <= 0) continue;
            total += w;
            for (int c = 0; c < 3; c++) { have[c] += w * s[3 * p + c]; want[c] += w * t[3 * p + c]; }
        }
        if (total <= 0) return;
        Span<float> shift = stackalloc float[3];
        for (int c = 0; c < 3; c++) shift[c] = (float)((want[c] - have[c]) / total);
        for (int i = 0; i < s.Length; i++) s[i] = (byte)Math.Clamp(s[i] + shift[i % 3] + 0.5f, 0f, 255f);
    }
}
