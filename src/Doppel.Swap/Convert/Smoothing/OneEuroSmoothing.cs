using Doppel.Media.Geometry;

namespace Doppel.Swap.Convert.Smoothing;

/// <summary>
/// The One Euro filter (Casiez, Roussel and Vogel, CHI 2012) on the alignment: a low-pass whose
/// cutoff rises with the speed of the face, so a still face is smoothed hard (landmark jitter is
/// a pixel or two of noise around a fixed point) while a moving one is followed closely (a fixed
/// average, like <see cref="EmaSmoothing"/>, must trade one for the other).
/// <para>
/// What is filtered: three crop points (the centre, and a quarter of the crop to its right and
/// below it) mapped back into the frame; three point pairs fix an affine matrix exactly, so the
/// smoothed points give back the smoothed matrix, and a similarity stays a similarity. Speed is
/// measured in face sizes per frame (the points' displacement over the distance between the
/// first two), so the parameters mean the same at any resolution; time is in frames.
/// </para>
/// A jump (a cut, another person: <see cref="TrackJump"/>) restarts the filter.
/// </summary>
public sealed class OneEuroSmoothing : IMatrixSmoother
{
    private readonly int _cropSize;
    private readonly (double X, double Y)[] _targets;
    private readonly (double X, double Y)[] _points = new (double, double)[3];
    private AffineMatrix? _previous;
    private double _speed;

    /// <param name="minCutoff">Cutoff of a still face, in cycles per frame.</param>
    /// <param name="beta">Cutoff added per face size per frame of speed.</param>
    /// <param name="speedCutoff">Cutoff of the low-pass on the speed itself, in cycles per frame.</param>
    public OneEuroSmoothing(double minCutoff = 0.01, double beta = 2, double speedCutoff = 0.15, int cropSize = 256)
    {
        if (!(minCutoff > 0)) throw new ArgumentOutOfRangeException(nameof(minCutoff), "the cutoff must be positive");
        if (!(beta >= 0)) throw new ArgumentOutOfRangeException(nameof(beta), "beta must be 0 or more");
        if (!(speedCutoff > 0)) throw new ArgumentOutOfRangeException(nameof(speedCutoff), "the speed cutoff must be positive");
        MinCutoff = minCutoff;
        Beta = beta;
        SpeedCutoff = speedCutoff;
        _cropSize = cropSize;
        double c = cropSize / 2.0, q = cropSize / 4.0;
        _targets = [(c, c), (c + q, c), (c, c + q)];
    }

    public double MinCutoff { get; }
    public double Beta { get; }
    public double SpeedCutoff { get; }

    public AffineMatrix Next(AffineMatrix measured)
    {
        var inverse = measured.Invert();
        if (_previous is not { } previous || TrackJump.Between(previous, measured, _cropSize))
        {
            for (int k = 0; k < 3; k++) _points[k] = inverse.Transform(_targets[k].X, _targets[k].Y);
            _speed = 0;
            _previous = measured;
            return measured;
        }
        var raw = new (double X, double Y)[3];
        for (int k = 0; k < 3; k++) raw[k] = inverse.Transform(_targets[k].X, _targets[k].Y);
        double size = Math.Max(1e-9, Distance(raw[0], raw[1]));
        double move = 0;
        for (int k = 0; k < 3; k++) move = Math.Max(move, Distance(raw[k], _points[k]) / size);
        _speed += Weight(SpeedCutoff) * (move - _speed);
        double a = Weight(MinCutoff + Beta * _speed);
        for (int k = 0; k < 3; k++)
            _points[k] = (_points[k].X + a * (raw[k].X - _points[k].X), _points[k].Y + a * (raw[k].Y - _points[k].Y));
        var smoothed = ThroughPoints(_points, _targets);
        _previous = smoothed;
        return smoothed;
    }

    public void Reset() => _previous = null;

    /// <summary>The exponential smoothing weight of a first-order low-pass with this cutoff, sampled once per frame.</summary>
    private static double Weight(double cutoff)
    {
        double tau = 1 / (2 * Math.PI * cutoff);
        return 1 / (1 + tau);
    }

    private static double Distance((double X, double Y) a, (double X, double Y) b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    /// <summary>The affine map taking the three <paramref name="from"/> points onto <paramref name="to"/> (solved exactly).</summary>
    private static AffineMatrix ThroughPoints((double X, double Y)[] from, (double X, double Y)[] to)
    {
        // With u = p1 - p0 and v = p2 - p0 (source) and U, V the same in the crop, the linear part L
        // satisfies L [u v] = [U V]: L = [U V] [u v]^-1; then the offset puts p0 on t0.
        double ux = from[1].X - from[0].X, uy = from[1].Y - from[0].Y, vx = from[2].X - from[0].X, vy = from[2].Y - from[0].Y;
        double Ux = to[1].X - to[0].X, Uy = to[1].Y - to[0].Y, Vx = to[2].X - to[0].X, Vy = to[2].Y - to[0].Y;
        double det = ux * vy - vx * uy;
        double i00 = vy / det, i01 = -vx / det, i10 = -uy / det, i11 = ux / det;
        double a = Ux * i00 + Vx * i10, b = Ux * i01 + Vx * i11, d = Uy * i00 + Vy * i10, e = Uy * i01 + Vy * i11;
        return new AffineMatrix(a, b, to[0].X - a * from[0].X - b * from[0].Y, d, e, to[0].Y - d * from[0].X - e * from[0].Y);
    }
}
