using Doppel.Media.Geometry;
using Doppel.Swap.Convert;
using Doppel.Swap.Convert.Smoothing;

namespace Doppel.Swap.Tests.Convert;

/// <summary>The adaptive smoother on made-up tracks: exactness, noise, speed, cuts.</summary>
public class OneEuroSmoothingTests
{
    // A face about 100 px wide in a frame: source -> crop scales by 1.9 and puts it at (200, 150).
    private static AffineMatrix Face(double x, double y, double angle = 0.1, double scale = 1.9) =>
        AffineMatrix.Translation(-x, -y).Then(AffineMatrix.Rotation(angle)).Then(AffineMatrix.Scale(scale, scale)).Then(AffineMatrix.Translation(128, 128));

    [Fact]
    public void IsRegisteredAsASmoother() => Assert.IsType<OneEuroSmoothing>(ConvertPlugins.Smoothing.Create("oneeuro"));

    [Fact]
    public void AStillFaceComesBackExactly()
    {
        var smoother = new OneEuroSmoothing();
        var m = Face(200, 150);
        for (int t = 0; t < 10; t++) AssertClose(m, smoother.Next(m), 1e-9);
    }

    [Fact]
    public void NoiseOnAStillFaceIsSmoothedAwayAndSimilaritiesStaySimilarities()
    {
        var rng = new Random(1);
        var smoother = new OneEuroSmoothing();
        double rawError = 0, smoothError = 0;
        for (int t = 0; t < 200; t++)
        {
            // About the landmark noise measured on franck.mp4 (a few tenths of a pixel on a 100 px face).
            var measured = Face(200 + Noise(rng, 0.6), 150 + Noise(rng, 0.6), 0.1 + Noise(rng, 0.004), 1.9 * (1 + Noise(rng, 0.004)));
            var smoothed = smoother.Next(measured);
            Assert.Equal(smoothed.A, smoothed.E, 9);
            Assert.Equal(smoothed.B, -smoothed.D, 9);
            if (t < 20) continue; // warm-up
            rawError += CentreOffset(measured, 200, 150);
            smoothError += CentreOffset(smoothed, 200, 150);
        }
        Assert.True(smoothError < 0.5 * rawError, $"mean error of the face centre: smoothed {smoothError / 180:F2} px, measured {rawError / 180:F2} px");
    }

    [Fact]
    public void AFastMoveIsFollowedMoreCloselyThanASlowOne()
    {
        // Lag in frames (distance behind / speed) after a steady state is reached: the cutoff rises with speed.
        double slow = LagInFrames(0.5), fast = LagInFrames(8);
        Assert.True(fast < 0.5 * slow, $"lag: {fast:F2} frames at 8 px/frame, {slow:F2} at 0.5 px/frame");
        Assert.True(fast < 1.5, $"a fast move lags {fast:F2} frames");
    }

    [Fact]
    public void ACutRestartsTheFilter()
    {
        var smoother = new OneEuroSmoothing();
        for (int t = 0; t < 10; t++) smoother.Next(Face(200, 150));
        var elsewhere = Face(320, 90);
        AssertClose(elsewhere, smoother.Next(elsewhere), 1e-9);
    }

    [Fact]
    public void ResetForgetsTheTrack()
    {
        var smoother = new OneEuroSmoothing();
        for (int t = 0; t < 10; t++) smoother.Next(Face(200, 150));
        smoother.Reset();
        var moved = Face(205, 152); // a small move: without the reset it would be smoothed
        AssertClose(moved, smoother.Next(moved), 1e-9);
    }

    [Fact]
    public void BadParametersAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneEuroSmoothing(minCutoff: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneEuroSmoothing(beta: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneEuroSmoothing(speedCutoff: double.NaN));
    }

    private static double LagInFrames(double pixelsPerFrame)
    {
        var smoother = new OneEuroSmoothing();
        double x = 100;
        AffineMatrix smoothed = default;
        for (int t = 0; t < 150; t++)
        {
            x += pixelsPerFrame;
            smoothed = smoother.Next(Face(x, 150));
        }
        return CentreOffset(smoothed, x, 150) / pixelsPerFrame;
    }

    /// <summary>Distance in frame pixels between where the matrix puts the face's centre and (x, y).</summary>
    private static double CentreOffset(AffineMatrix sourceToCrop, double x, double y)
    {
        var (cx, cy) = sourceToCrop.Invert().Transform(128, 128);
        return Math.Sqrt((cx - x) * (cx - x) + (cy - y) * (cy - y));
    }

    private static double Noise(Random rng, double amplitude) => (rng.NextDouble() * 2 - 1) * amplitude;

    private static void AssertClose(AffineMatrix expected, AffineMatrix actual, double tolerance)
    {
        var e = expected.ToRowMajor();
        var a = actual.ToRowMajor();
        for (int i = 0; i < 6; i++) Assert.True(Math.Abs(e[i] - a[i]) <= tolerance * Math.Max(1, Math.Abs(e[i])), $"entry {i}: expected {e[i]}, got {a[i]}");
    }
}
