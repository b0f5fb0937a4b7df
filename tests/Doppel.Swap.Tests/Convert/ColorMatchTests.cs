using Doppel.Media.Imaging;
using Doppel.Swap.Convert;
using Doppel.Swap.Convert.Color;

namespace Doppel.Swap.Tests.Convert;

/// <summary>
/// The colour matchers on a warm "B" face (orange skin, a dark brown eye socket) put onto a pale
/// "A" frame: each brings the face's mean to the frame's inside the mask; the added shift tints the
/// shadow blue, the gain keeps it a shadow.
/// </summary>
public class ColorMatchTests
{
    private const int Size = 20;

    [Theory]
    [InlineData("mean")]
    [InlineData("gain")]
    public void TheMaskedMeanBecomesTheFramesAndPixelsOutsideTheMaskDoNotCount(string name)
    {
        var (face, frame, mask) = Scene();
        ConvertPlugins.Color.Create(name).Match(face, frame, mask);
        var want = MaskedMean(frame, mask);
        var got = MaskedMean(face, mask);
        for (int c = 0; c < 3; c++) Assert.True(Math.Abs(want[c] - got[c]) <= 1, $"channel {c}: {got[c]:F2}, the frame's {want[c]:F2}"); // within rounding to bytes
    }

    [Fact]
    public void AGainKeepsAShadowDarkAndUntintedWhereAShiftTurnsItBlue()
    {
        var (face, frame, mask) = Scene();
        var shifted = face.Clone();
        var scaled = face.Clone();
        new MeanColorMatch().Match(shifted, frame, mask);
        new GainColorMatch().Match(scaled, frame, mask);

        var (r, g, b) = shifted.GetPixel(5, 5);   // the eye socket
        Assert.True(b > r + 20, $"the shift should tint the shadow blue (it gave {r},{g},{b}); if not, this test no longer shows the difference");
        var (r2, g2, b2) = scaled.GetPixel(5, 5);
        Assert.True(Math.Abs(b2 - r2) < 15, $"the gain tinted the shadow: {r2},{g2},{b2}");
        Assert.True(r2 + g2 + b2 < r + g + b, "the shadow stays darker under the gain");
        Assert.Equal((0, 0, 0), ((int)scaled.GetPixel(0, 0).R, (int)scaled.GetPixel(0, 0).G, (int)scaled.GetPixel(0, 0).B)); // black stays black
    }

    [Fact]
    public void ANearBlackChannelIsLeftAloneRatherThanScaledBeyondReason()
    {
        var (face, frame, mask) = Scene();
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                var (r, g, _) = face.GetPixel(x, y);
                face.SetPixel(x, y, r, g, 1);                 // no blue at all
            }
        new GainColorMatch().Match(face, frame, mask);
        Assert.Equal(1, face.GetPixel(10, 10).B);
    }

    // A 20x20 face: orange skin, a dark brown 4x4 eye socket at (4..7, 4..7), a black corner pixel
    // outside the mask; the frame's face is pale pink. The mask is everything but a 2 px border.
    private static (RgbImage Face, RgbImage Frame, GrayImage Mask) Scene()
    {
        var face = new RgbImage(Size, Size);
        var frame = new RgbImage(Size, Size);
        var mask = new GrayImage(Size, Size);
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                bool socket = x is >= 4 and < 8 && y is >= 4 and < 8;
                if (socket) face.SetPixel(x, y, 70, 45, 28);
                else face.SetPixel(x, y, 200, 120, 60);
                frame.SetPixel(x, y, 215, 165, 150);
                mask.Data[y * Size + x] = (byte)(x is >= 2 and < Size - 2 && y is >= 2 and < Size - 2 ? 255 : 0);
            }
        face.SetPixel(0, 0, 0, 0, 0);
        return (face, frame, mask);
    }

    private static double[] MaskedMean(RgbImage image, GrayImage mask)
    {
        var sum = new double[3];
        int n = 0;
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                if (mask.Data[y * Size + x] < 128) continue;
                var (r, g, b) = image.GetPixel(x, y);
                sum[0] += r; sum[1] += g; sum[2] += b;
                n++;
            }
        return sum.Select(s => s / n).ToArray();
    }
}
