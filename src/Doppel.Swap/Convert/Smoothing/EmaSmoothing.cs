using Doppel.Media.Geometry;

namespace Doppel.Swap.Convert.Smoothing;

/// <summary>
/// An exponential moving average of the six matrix entries: smoothed = a * measured + (1 - a) *
/// previous. Averaging similarity matrices entry by entry stays (very nearly) a similarity for the
/// small frame-to-frame changes it sees. A large jump (the face moved more than
/// <see cref="ResetFraction"/> of its size in one frame: a cut, or another person) restarts the
/// average so the swap never lags visibly behind a real movement.
/// </summary>
public sealed class EmaSmoothing(double alpha = 0.5, int cropSize = 256) : IMatrixSmoother
{
    public const double ResetFraction = 0.15;
    private AffineMatrix? _previous;

    public double Alpha { get; } = alpha is > 0 and <= 1 ? alpha : throw new ArgumentOutOfRangeException(nameof(alpha), "smoothing weight must be in (0, 1]");

    public AffineMatrix Next(AffineMatrix measured)
    {
        if (_previous is not { } p || Jumped(p, measured))
        {
            _previous = measured;
            return measured;
        }
        double a = Alpha, b = 1 - a;
        var s = new AffineMatrix(a * measured.A + b * p.A, a * measured.B + b * p.B, a * measured.C + b * p.C,
            a * measured.D + b * p.D, a * measured.E + b * p.E, a * measured.F + b * p.F);
        _previous = s;
        return s;
    }

    public void Reset() => _previous = null;

    // Measured in crop pixels, which are face-relative (the crop's side is a fixed multiple of the
    // face's size), so "15% of the crop" is a big move whatever the video's resolution.
    private bool Jumped(AffineMatrix previous, AffineMatrix current)
    {
        double half = cropSize / 2.0;
        // The current crop's centre in the source, then where the previous matrix puts that point.
        var (cx, cy) = current.Invert().Transform(half, half);
        var (px, py) = previous.Transform(cx, cy);
        double scale = Math.Sqrt(Math.Abs(previous.Determinant / current.Determinant));
        return Math.Abs(px - half) > ResetFraction * cropSize || Math.Abs(py - half) > ResetFraction * cropSize || Math.Abs(Math.Log(scale)) > 0.2;
    }
}
