using System.Runtime.CompilerServices;

namespace Doppel.Faces.Landmarks;

/// <summary>
/// The scale-and-rotation part of the least-squares similarity transform (Umeyama 1991) that
/// takes one shape onto another; dlib's predictor uses it to carry each feature pixel's offset
/// from the mean shape to the current estimate. In 2-D the optimal rotation-times-scale is
/// [[a, -b], [b, a]] with a = sum(p.q) / sum|p|^2 and b = sum(p x q) / sum|p|^2 over the
/// centred points p (from) and q (to). That equals dlib's SVD route up to rounding, avoids the
/// SVD, and is computed in double as dlib does before it casts the matrix to float.
/// </summary>
internal static class ShapeSimilarity
{
    /// <summary>Returns (a, b) such that the transform's matrix is [[a, -b], [b, a]].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (float A, float B) ScaleRotation(ReadOnlySpan<float> from, ReadOnlySpan<float> to)
    {
        int n = from.Length / 2;
        double fromMeanX = 0, fromMeanY = 0, toMeanX = 0, toMeanY = 0;
        for (int i = 0; i < n; i++)
        {
            fromMeanX += from[2 * i];
            fromMeanY += from[2 * i + 1];
            toMeanX += to[2 * i];
            toMeanY += to[2 * i + 1];
        }
        fromMeanX /= n; fromMeanY /= n; toMeanX /= n; toMeanY /= n;

        double dot = 0, cross = 0, fromSquares = 0;
        for (int i = 0; i < n; i++)
        {
            double px = from[2 * i] - fromMeanX, py = from[2 * i + 1] - fromMeanY;
            double qx = to[2 * i] - toMeanX, qy = to[2 * i + 1] - toMeanY;
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            fromSquares += px * px + py * py;
        }
        // A degenerate (single-point) source shape: dlib falls back to the identity.
        if (fromSquares == 0) return (1f, 0f);
        return ((float)(dot / fromSquares), (float)(cross / fromSquares));
    }
}
