using System.Numerics;
using Doppel.Datasets.Augmentation;
using Doppel.Faces.Masks;
using Doppel.Media.Imaging;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.SelfBlend;

/// <summary>
/// The self-blending mask of one face: the hull of its 68 landmarks, grown or shrunk a little
/// about its centre, deformed elastically (the swap trainer's smooth 5x5-grid warp), blurred,
/// cut back to where the blur left it whole (an erosion with a soft start), blurred again and
/// scaled to a maximum of 1. Random blur widths make both hard and feathered paste edges.
/// </summary>
public static class BlendMask
{
    public static float[] Make(ReadOnlySpan<float> landmarks, int size, Rng rng, SelfBlendOptions options)
    {
        double growth = options.MinHullGrowth + rng.NextDouble() * (options.MaxHullGrowth - options.MinHullGrowth);
        var hull = Hull(landmarks, size, growth);
        var mask = new float[size * size];
        for (int i = 0; i < mask.Length; i++) mask[i] = hull.Data[i] / 255f;

        if (options.ElasticSigma > 0)
        {
            var warped = new float[mask.Length];
            RandomWarp.Apply(mask, warped, size, 1, RandomWarp.ControlOffsets(rng, options.ElasticSigma * size));
            mask = warped;
        }

        var whole = (float[])mask.Clone();
        GaussianBlur.Apply(mask, size, 1, Sigma(rng, options, size));
        bool any = false;
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i] < 0.999f) mask[i] = 0f;
            else any = true;
        }
        if (!any) mask = whole; // a blur wider than a small hull would erase it: keep the hull
        GaussianBlur.Apply(mask, size, 1, Sigma(rng, options, size));

        float max = 0;
        foreach (float v in mask) max = Math.Max(max, v);
        if (max > 0) for (int i = 0; i < mask.Length; i++) mask[i] = Math.Min(1f, mask[i] / max);
        return mask;
    }

    /// <summary>The filled hull of the landmarks moved away from their mean by <paramref name="growth"/>.</summary>
    public static GrayImage Hull(ReadOnlySpan<float> landmarks, int size, double growth)
    {
        int n = landmarks.Length / 2;
        double cx = 0, cy = 0;
        for (int i = 0; i < n; i++) { cx += landmarks[2 * i]; cy += landmarks[2 * i + 1]; }
        cx /= n; cy /= n;
        var points = new Vector2[n];
        for (int i = 0; i < n; i++)
            points[i] = new Vector2((float)(cx + growth * (landmarks[2 * i] - cx)), (float)(cy + growth * (landmarks[2 * i + 1] - cy)));
        return LandmarkMasks.Face(points, size, size);
    }

    private static double Sigma(Rng rng, SelfBlendOptions o, int size) => (o.MinBlur + rng.NextDouble() * (o.MaxBlur - o.MinBlur)) * size;
}
