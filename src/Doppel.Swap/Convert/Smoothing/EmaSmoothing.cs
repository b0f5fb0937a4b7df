using Doppel.Media.Geometry;

namespace Doppel.Swap.Convert.Smoothing;

/// <summary>
/// An exponential moving average of the six matrix entries: smoothed = a * measured + (1 - a) *
/// previous. Averaging similarity matrices entry by entry stays (very nearly) a similarity for the
/// small frame-to-frame changes it sees. A large jump (<see cref="TrackJump"/>: a cut, or another
/// person) restarts the average so the swap never lags visibly behind a real movement.
/// </summary>
public sealed class EmaSmoothing(double alpha = 0.5, int cropSize = 256) : IMatrixSmoother
{
    private AffineMatrix? _previous;

    public double Alpha { get; } = alpha is > 0 and <= 1 ? alpha : throw new ArgumentOutOfRangeException(nameof(alpha), "smoothing weight must be in (0, 1]");

    public AffineMatrix Next(AffineMatrix measured)
    {
        if (_previous is not { } p || TrackJump.Between(p, measured, cropSize))
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
}
