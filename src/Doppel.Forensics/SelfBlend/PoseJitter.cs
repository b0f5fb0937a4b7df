using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.SelfBlend;

/// <summary>
/// A small random rotation, scale and shift of a whole face crop (and its landmarks) before it
/// is self-blended, so that the real and its fake are seen in a pose the training crops never had.
/// With a few dozen people to learn from, a detector otherwise learns each training face exactly
/// as aligned and calls any face that differs from them fake: real photos of new people scored
/// like fakes (docs/forensics.md, "Real photos of new people"). The border is replicated.
/// </summary>
public static class PoseJitter
{
    /// <summary>Draws a similarity about the crop's centre: rotation up to <paramref name="maxDegrees"/>, scale in 1 +- <paramref name="scale"/>, shift up to <paramref name="shift"/> of the side.</summary>
    public static AffineMatrix Draw(int size, Rng rng, double maxDegrees, double scale, double shift)
    {
        double angle = (2 * rng.NextDouble() - 1) * maxDegrees * Math.PI / 180;
        double s = 1 + (2 * rng.NextDouble() - 1) * scale;
        double dx = (2 * rng.NextDouble() - 1) * shift * size, dy = (2 * rng.NextDouble() - 1) * shift * size;
        double c = (size - 1) / 2.0;
        return AffineMatrix.Translation(-c, -c)
            .Then(AffineMatrix.Scale(s, s))
            .Then(AffineMatrix.Rotation(angle))
            .Then(AffineMatrix.Translation(c + dx, c + dy));
    }

    /// <summary>The crop warped by <paramref name="sourceToOutput"/> (its pixels to output pixels), at the same size.</summary>
    public static RgbImage Apply(RgbImage face, AffineMatrix sourceToOutput) =>
        AffineWarp.Warp(face, sourceToOutput, face.Width, face.Height, BorderMode.Replicate);

    /// <summary>The landmarks (x0, y0, x1, y1, ...) moved by the same transform.</summary>
    public static float[] Apply(ReadOnlySpan<float> landmarks, AffineMatrix sourceToOutput)
    {
        var moved = new float[landmarks.Length];
        for (int i = 0; i + 1 < landmarks.Length; i += 2)
        {
            var (x, y) = sourceToOutput.Transform(landmarks[i], landmarks[i + 1]);
            moved[i] = (float)x;
            moved[i + 1] = (float)y;
        }
        return moved;
    }
}
