namespace Doppel.Media.Geometry;

/// <summary>
/// Guards for source coordinates: beyond ±2^24 pixels (or NaN) a coordinate means "far outside",
/// and converting it to int would overflow. Both warp paths treat such points the same way.
/// </summary>
internal static class WarpCoordinates
{
    private const double Limit = 1 << 24;

    public static bool InRange(double sx, double sy) => sx > -Limit && sx < Limit && sy > -Limit && sy < Limit;

    /// <summary>An integer position on the far side that border modes can resolve.</summary>
    public static (int X, int Y) ClampFar(double sx, double sy) =>
        ((int)(double.IsNaN(sx) ? -Limit : Math.Clamp(sx, -Limit, Limit)),
         (int)(double.IsNaN(sy) ? -Limit : Math.Clamp(sy, -Limit, Limit)));
}
