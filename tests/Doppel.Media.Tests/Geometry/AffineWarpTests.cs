using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Media.Tests.Support;

namespace Doppel.Media.Tests.Geometry;

public class AffineWarpTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(64, 64)]
    [InlineData(300, 200)] // large enough to run in parallel bands
    public void IdentityCopiesExactly(int width, int height)
    {
        RgbImage image = TestImages.Noise(width, height);
        Assert.Equal(image.Data, AffineWarp.Warp(image, AffineMatrix.Identity, width, height).Data);
    }

    [Fact]
    public void IntegerTranslationShiftsPixelsAndFillsTheRest()
    {
        RgbImage image = TestImages.Noise(20, 10);
        RgbImage moved = AffineWarp.Warp(image, AffineMatrix.Translation(3, -2), 20, 10, BorderMode.Constant, fill: 7);
        for (int y = 0; y < 10; y++)
            for (int x = 0; x < 20; x++)
            {
                int sx = x - 3, sy = y + 2;
                var expected = sx is >= 0 and < 20 && sy is >= 0 and < 10 ? image.GetPixel(sx, sy) : ((byte)7, (byte)7, (byte)7);
                Assert.Equal(expected, moved.GetPixel(x, y));
            }
    }

    [Fact]
    public void HalfPixelTranslationAveragesNeighbours()
    {
        var image = new GrayImage(4, 1, [0, 100, 200, 50]);
        GrayImage moved = AffineWarp.Warp(image, AffineMatrix.Translation(-0.5, 0), 3, 1);
        Assert.Equal(new byte[] { 50, 150, 125 }, moved.Data);
    }

    [Theory]
    [InlineData(9, 5)]
    [InlineData(40, 33)] // wide enough for the eight-pixel vector path
    public void RotationBy90DegreesIsAnExactPermutation(int w, int h)
    {
        RgbImage image = TestImages.Noise(w, h);
        // (x, y) -> (h - 1 - y, x): rotate a quarter turn clockwise as displayed, into an h x w image.
        AffineMatrix rotate = AffineMatrix.Rotation(Math.PI / 2).Then(AffineMatrix.Translation(h - 1, 0));
        RgbImage rotated = AffineWarp.Warp(image, rotate, h, w);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                Assert.Equal(image.GetPixel(x, y), rotated.GetPixel(h - 1 - y, x));
    }

    [Fact]
    public void WarpThenInverseWarpRestoresTheInterior()
    {
        RgbImage image = TestImages.Photo(80, 60);
        AffineMatrix m = AffineMatrix.Rotation(0.3, 40, 30).Then(AffineMatrix.Scale(1.2, 1.2));
        RgbImage there = AffineWarp.Warp(image, m, 120, 100);
        RgbImage back = AffineWarp.Warp(there, m.Invert(), 80, 60);
        // Two bilinear resamplings blur a little; compare the centre, away from filled borders.
        int worst = 0;
        for (int y = 20; y < 40; y++)
            for (int x = 25; x < 55; x++)
            {
                var (r, g, b) = image.GetPixel(x, y);
                var (r2, g2, b2) = back.GetPixel(x, y);
                worst = Math.Max(worst, Math.Max(Math.Abs(r - r2), Math.Max(Math.Abs(g - g2), Math.Abs(b - b2))));
            }
        Assert.InRange(worst, 0, 12);
    }

    [Fact]
    public void BorderModesResolveOutsidePixels()
    {
        var image = new GrayImage(4, 1, [10, 20, 30, 40]);
        AffineMatrix shiftRight = AffineMatrix.Translation(2, 0); // output x comes from source x - 2
        Assert.Equal(new byte[] { 9, 9, 10, 20, 30, 40, 9, 9 }, AffineWarp.Warp(image, shiftRight, 8, 1, BorderMode.Constant, 9).Data);
        Assert.Equal(new byte[] { 10, 10, 10, 20, 30, 40, 40, 40 }, AffineWarp.Warp(image, shiftRight, 8, 1, BorderMode.Replicate).Data);
        Assert.Equal(new byte[] { 30, 20, 10, 20, 30, 40, 30, 20 }, AffineWarp.Warp(image, shiftRight, 8, 1, BorderMode.Reflect).Data);
    }

    [Fact]
    public void ReflectOfASinglePixelIsThatPixel()
    {
        var image = new GrayImage(1, 1, [77]);
        Assert.All(AffineWarp.Warp(image, AffineMatrix.Translation(3, 3), 5, 5, BorderMode.Reflect).Data, v => Assert.Equal(77, v));
    }

    [Theory]
    [InlineData(BorderMode.Constant)]
    [InlineData(BorderMode.Replicate)]
    [InlineData(BorderMode.Reflect)]
    public void FastKernelMatchesTheReferenceWithinOne(BorderMode border)
    {
        var random = new Random(11);
        foreach ((int sw, int sh, int ow, int oh) in new[] { (1, 1, 3, 2), (7, 3, 9, 5), (64, 48, 50, 70), (257, 250, 256, 256) })
        {
            RgbImage source = TestImages.Noise(sw, sh, seed: sw);
            var m = new AffineMatrix(random.NextDouble() * 2 - 0.5, random.NextDouble() - 0.5, random.NextDouble() * 10 - 5,
                random.NextDouble() - 0.5, random.NextDouble() * 2 - 0.5, random.NextDouble() * 10 - 5);
            var fast = new RgbImage(ow, oh);
            var reference = new RgbImage(ow, oh);
            AffineWarp.Run<ThreeChannels>(PixelBuffer.Of(source), m, PixelBuffer.Of(fast), border, 42);
            AffineWarpReference.Warp(PixelBuffer.Of(source), m, PixelBuffer.Of(reference), border, 42);
            Assert.InRange(TestImages.MaxDifference(fast.Data, reference.Data), 0, 1);
        }
    }

    [Fact]
    public void VectorAndScalarPathsAgree()
    {
        RgbImage source = TestImages.Noise(200, 150, seed: 3);
        AffineMatrix[] matrices =
        [
            AffineMatrix.Rotation(0.3, 100, 75).Then(AffineMatrix.Scale(1.3, 1.3)),
            AffineMatrix.Scale(0.4, 0.7).Then(AffineMatrix.Translation(-5, 3)),
            new AffineMatrix(0.9, 0.2, 7.25, -0.15, 1.1, -3.5),
            AffineMatrix.Translation(0.5, 149.25), // bottom rows: the vector path's stricter bound
        ];
        foreach (AffineMatrix m in matrices)
        {
            var vector = new RgbImage(173, 131);
            var scalar = new RgbImage(173, 131);
            AffineWarpKernel<ThreeChannels>.Rows(PixelBuffer.Of(source), m, PixelBuffer.Of(vector), 0, 131, BorderMode.Reflect, 0);
            try
            {
                AffineWarpKernel<ThreeChannels>.VectorEnabled = false;
                AffineWarpKernel<ThreeChannels>.Rows(PixelBuffer.Of(source), m, PixelBuffer.Of(scalar), 0, 131, BorderMode.Reflect, 0);
            }
            finally
            {
                AffineWarpKernel<ThreeChannels>.VectorEnabled = true;
            }
            // Float versus double coordinates can round a weight differently: at most 1 apart.
            Assert.InRange(TestImages.MaxDifference(vector.Data, scalar.Data), 0, 1);
        }
    }

    [Fact]
    public void FarAwayAndHugeCoordinatesDoNotOverflow()
    {
        RgbImage image = TestImages.Noise(5, 5);
        var far = new AffineMatrix(1e12, 0, 0, 0, 1e12, 0);
        foreach (BorderMode border in Enum.GetValues<BorderMode>())
            AffineWarp.WarpFromOutput(image, far, 4, 4, border);
    }
}
