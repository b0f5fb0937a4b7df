using Doppel.Media.Geometry;

namespace Doppel.Swap.Convert.Smoothing;

/// <summary>
/// Whether the tracked face jumped between two frames (a cut, or another person): then a
/// smoother restarts instead of dragging the old position into the new shot.
/// </summary>
public static class TrackJump
{
    /// <summary>A move of more than this fraction of the crop's side in one frame is a jump.</summary>
    public const double MoveFraction = 0.15;

    /// <summary>A change of scale by more than e^0.2 (about 22%) in one frame is a jump.</summary>
    public const double LogScale = 0.2;

    // Measured in crop pixels, which are face-relative (the crop's side is a fixed multiple of the
    // face's size), so "15% of the crop" is a big move whatever the video's resolution.
    public static bool Between(AffineMatrix previous, AffineMatrix current, int cropSize)
    {
        double half = cropSize / 2.0;
        // The current crop's centre in the source, then where the previous matrix puts that point.
        var (cx, cy) = current.Invert().Transform(half, half);
        var (px, py) = previous.Transform(cx, cy);
        double scale = Math.Sqrt(Math.Abs(previous.Determinant / current.Determinant));
        return Math.Abs(px - half) > MoveFraction * cropSize || Math.Abs(py - half) > MoveFraction * cropSize || Math.Abs(Math.Log(scale)) > LogScale;
    }
}
