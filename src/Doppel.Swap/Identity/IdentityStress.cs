using Doppel.Datasets.Augmentation;

namespace Doppel.Swap.Identity;

/// <summary>
/// Real faces altered the ways a converted face differs from a camera's, to show that the
/// identity classifier answers "who", not "how sharp" or "what colour": blurred, given the other
/// person's colouring, pasted back with a hard square seam, and blended half and half with the
/// other person. Faces are raw
/// (64 x 64 x 3 floats in [0, 1]); each returns new faces and leaves its input alone.
/// </summary>
public static class IdentityStress
{
    public const double BlurSigma = 1.5;

    /// <summary>Each face blurred with a Gaussian of <paramref name="sigma"/> px (at 64 px: about a 32 px face's detail).</summary>
    public static List<float[]> Blurred(IReadOnlyList<float[]> faces, double sigma = BlurSigma) => faces.Select(f =>
    {
        var copy = (float[])f.Clone();
        GaussianBlur.Apply(copy, IdentityInput.Size, 3, sigma);
        return copy;
    }).ToList();

    /// <summary>
    /// Each face with the other set's colouring: per channel, the set's mean and standard deviation
    /// (over all its faces) replaced by the other set's, clipped to [0, 1] (what a colour transfer
    /// onto the other person's frame does, and the clipping is not undone by normalisation).
    /// </summary>
    public static List<float[]> ColourShifted(IReadOnlyList<float[]> faces, IReadOnlyList<float[]> towards)
    {
        var (mean, std) = Stats(faces);
        var (wantMean, wantStd) = Stats(towards);
        return faces.Select(f =>
        {
            var copy = new float[f.Length];
            for (int i = 0; i < f.Length; i++)
            {
                int c = i % 3;
                copy[i] = Math.Clamp((float)((f[i] - mean[c]) * wantStd[c] / std[c] + wantMean[c]), 0f, 1f);
            }
            return copy;
        }).ToList();
    }

    /// <summary>Side of the seam's square as a fraction of the face, and the outline's colour (a bluish fringe).</summary>
    public const double SeamSquare = 0.7;
    private static readonly float[] SeamTint = [0.30f, 0.38f, 0.62f];

    /// <summary>
    /// Each face with a hard-edged square seam: the central <see cref="SeamSquare"/> of the face
    /// replaced by a blurred copy of itself (sigma <see cref="BlurSigma"/> x 2) and outlined by a
    /// 2 px half-transparent bluish line. That is what a converter leaves when its mask reaches the
    /// model's square (docs/training.md, the grown mask): a classifier that calls such a face of A
    /// "B" would reward the artefact, not the person.
    /// </summary>
    public static List<float[]> Seamed(IReadOnlyList<float[]> faces) => faces.Select(f =>
    {
        const int size = IdentityInput.Size;
        var blurred = (float[])f.Clone();
        GaussianBlur.Apply(blurred, size, 3, 2 * BlurSigma);
        var seamed = (float[])f.Clone();
        int side = (int)Math.Round(SeamSquare * size), from = (size - side) / 2, to = from + side;
        for (int y = from; y < to; y++)
            for (int x = from; x < to; x++)
            {
                bool edge = x < from + 2 || x >= to - 2 || y < from + 2 || y >= to - 2;
                for (int c = 0; c < 3; c++)
                {
                    int i = (y * size + x) * 3 + c;
                    seamed[i] = edge ? 0.5f * (blurred[i] + SeamTint[c]) : blurred[i];
                }
            }
        return seamed;
    }).ToList();

    /// <summary>Face i of A and face i of B (cycling through the shorter set) averaged pixel by pixel: as many blends as the longer set.</summary>
    public static List<float[]> HalfAndHalf(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b)
    {
        int n = Math.Max(a.Count, b.Count);
        var blends = new List<float[]>(n);
        for (int i = 0; i < n; i++)
        {
            float[] x = a[i % a.Count], y = b[i % b.Count];
            var blend = new float[x.Length];
            for (int k = 0; k < blend.Length; k++) blend[k] = 0.5f * (x[k] + y[k]);
            blends.Add(blend);
        }
        return blends;
    }

    private static (double[] Mean, double[] Std) Stats(IReadOnlyList<float[]> faces)
    {
        var sum = new double[3];
        var squares = new double[3];
        long n = 0;
        foreach (var f in faces)
        {
            for (int i = 0; i < f.Length; i++)
            {
                sum[i % 3] += f[i];
                squares[i % 3] += (double)f[i] * f[i];
            }
            n += f.Length / 3;
        }
        var mean = new double[3];
        var std = new double[3];
        for (int c = 0; c < 3; c++)
        {
            mean[c] = sum[c] / n;
            std[c] = Math.Sqrt(Math.Max(squares[c] / n - mean[c] * mean[c], 1e-6));
        }
        return (mean, std);
    }
}
