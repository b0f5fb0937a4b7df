using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Datasets.FaceSets;
using Doppel.Tensors.Nn;

namespace Doppel.Datasets.Augmentation;

/// <summary>
/// Turns one stored face into one training example: target = the covered square after a random
/// rotation, zoom and shift (one bilinear resampling from the stored face, reflecting at the
/// edges), flipped half the time and colour-jittered; input = the target through the random
/// 5x5-grid warp; mask = the landmark weights moved exactly like the target.
/// </summary>
public sealed class FaceAugmenter(TrainingFaces faces, AugmentOptions options)
{
    public int InputSize => faces.InputSize;

    /// <summary>Writes example <paramref name="index"/> into the given (S, S, 3) / (S, S, 1) slices.</summary>
    public void Write(int index, Rng rng, Span<float> input, Span<float> target, Span<float> mask)
    {
        int s = faces.InputSize;
        var matrix = OutputToStored(rng);
        bool flip = options.FlipProbability > 0 && rng.NextDouble() < options.FlipProbability;

        var face = AffineWarp.WarpFromOutput(faces.Face(index), matrix, s, s, BorderMode.Reflect);
        FloatPixels.ToInterleaved(face, target, 1f / 255f, 0f);
        if (flip) HorizontalFlip.Apply(target, s, 3);
        ColorJitter.Apply(target, rng, options);

        var offsets = RandomWarp.ControlOffsets(rng, options.WarpSigma * s);
        RandomWarp.Apply(target, input, s, 3, offsets);

        if (mask.IsEmpty) return;
        if (faces.Mask(index) is not { } stored) { mask.Fill(1f); return; }
        var m = AffineWarp.WarpFromOutput(stored, matrix, s, s, BorderMode.Constant);
        for (int i = 0; i < mask.Length; i++) mask[i] = m.Data[i] / LandmarkMask.Scale;
        if (flip) HorizontalFlip.Apply(mask, s, 1);
    }

    /// <summary>
    /// Output pixel -> stored pixel. The stored face holds the covered square at one stored pixel
    /// per output pixel, centred, so with no augmentation this is a pure translation.
    /// </summary>
    private AffineMatrix OutputToStored(Rng rng)
    {
        double angle = Uniform(rng, options.RotationDegrees) * Math.PI / 180;
        double zoom = 1 + Uniform(rng, options.Zoom);
        double tx = Uniform(rng, options.Shift) * faces.InputSize, ty = Uniform(rng, options.Shift) * faces.InputSize;
        double c = (faces.InputSize - 1) / 2.0, cs = (faces.StoredSize - 1) / 2.0;
        double cos = Math.Cos(angle) / zoom, sin = Math.Sin(angle) / zoom;
        return new AffineMatrix(cos, -sin, cs + tx - (cos * c - sin * c), sin, cos, cs + ty - (sin * c + cos * c));
    }

    private static double Uniform(Rng rng, double amplitude) => amplitude <= 0 ? 0 : (rng.NextDouble() * 2 - 1) * amplitude;
}
