using Doppel.Forensics.Compression;
using Doppel.Forensics.Tests.Support;
using Doppel.Media.Imaging;

namespace Doppel.Forensics.Tests.Compression;

/// <summary>The JPEG and H.264 round trips on real faces: lossy as their quality says, sizes kept, 8x8 blocks visible at low quality.</summary>
public class CompressionRoundTripTests
{
    private static RgbImage Face => RealFaces.Of("cap12_edit", 100)[0].Image; // 100 px: not a multiple of 8 or 16

    [Fact]
    public void JpegLosesMoreAtLowerQuality()
    {
        double q100 = Psnr(Face, JpegRoundTrip.Apply(Face, 100));
        double q90 = Psnr(Face, JpegRoundTrip.Apply(Face, 90));
        double q50 = Psnr(Face, JpegRoundTrip.Apply(Face, 50));
        double q20 = Psnr(Face, JpegRoundTrip.Apply(Face, 20));
        Assert.True(q100 > 40, $"quality 100: {q100:F1} dB");
        Assert.True(q100 > q90 && q90 > q50 && q50 > q20, $"PSNR 100/90/50/20: {q100:F1} {q90:F1} {q50:F1} {q20:F1}");
        Assert.True(q20 > 24, $"quality 20: {q20:F1} dB (a broken transform gives far less)");
    }

    [Fact]
    public void JpegAtLowQualityMakesBlockEdges()
    {
        var jpeg = JpegRoundTrip.Apply(Face, 10);
        // Jumps between columns 7|8, 15|16 ... against jumps inside blocks.
        double across = 0, inside = 0;
        int na = 0, ni = 0;
        for (int y = 0; y < jpeg.Height; y++)
            for (int x = 1; x < jpeg.Width; x++)
            {
                double jump = Math.Abs(Luma(jpeg, x, y) - Luma(jpeg, x - 1, y));
                if (x % 8 == 0) { across += jump; na++; } else { inside += jump; ni++; }
            }
        Assert.True(across / na > 1.3 * inside / ni, $"mean jump across block edges {across / na:F2}, inside {inside / ni:F2}");
    }

    [Fact]
    public void JpegKeepsAFlatImageFlat()
    {
        var flat = new RgbImage(21, 13);
        for (int i = 0; i < flat.Data.Length; i += 3) { flat.Data[i] = 200; flat.Data[i + 1] = 120; flat.Data[i + 2] = 40; }
        var back = JpegRoundTrip.Apply(flat, 75);
        for (int i = 0; i < back.Data.Length; i++) Assert.InRange(back.Data[i] - flat.Data[i], -3, 3);
    }

    [Fact]
    public void H264LosesMoreAtHigherCrfAndKeepsEveryFrame()
    {
        var frames = RealFaces.Of("cap12_edit", 100).Take(4).Select(f => f.Image).ToList();
        var crf18 = H264RoundTrip.Apply(frames, 18);
        var crf32 = H264RoundTrip.Apply(frames, 32);
        Assert.Equal(frames.Count, crf18.Count);
        Assert.All(crf32, f => Assert.True(f.Width == 100 && f.Height == 100));
        double p18 = frames.Zip(crf18).Average(p => Psnr(p.First, p.Second)), p32 = frames.Zip(crf32).Average(p => Psnr(p.First, p.Second));
        Assert.True(p18 > p32 + 2 && p32 > 22, $"PSNR at CRF 18 {p18:F1} dB, at 32 {p32:F1} dB");
    }

    internal static double Psnr(RgbImage a, RgbImage b)
    {
        double se = 0;
        for (int i = 0; i < a.Data.Length; i++) { double d = a.Data[i] - b.Data[i]; se += d * d; }
        return 10 * Math.Log10(255.0 * 255.0 / Math.Max(se / a.Data.Length, 1e-10));
    }

    private static double Luma(RgbImage image, int x, int y)
    {
        var (r, g, b) = image.GetPixel(x, y);
        return 0.299 * r + 0.587 * g + 0.114 * b;
    }
}
