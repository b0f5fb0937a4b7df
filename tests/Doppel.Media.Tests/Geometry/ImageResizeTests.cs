using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Media.Tests.Support;

namespace Doppel.Media.Tests.Geometry;

public class ImageResizeTests
{
    [Fact]
    public void AreaHalvingAveragesTwoByTwoBlocks()
    {
        RgbImage image = TestImages.Noise(10, 6);
        RgbImage half = ImageResize.Area(image, 5, 3);
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 5; x++)
                for (int c = 0; c < 3; c++)
                {
                    int sum = 0;
                    for (int dy = 0; dy < 2; dy++)
                        for (int dx = 0; dx < 2; dx++)
                            sum += image.Data[((2 * y + dy) * 10 + 2 * x + dx) * 3 + c];
                    Assert.Equal((sum + 2) / 4, half.Data[(y * 5 + x) * 3 + c]);
                }
    }

    [Theory]
    [InlineData(7, 3, 3, 2)]
    [InlineData(100, 80, 33, 17)]
    [InlineData(5, 5, 9, 11)]
    [InlineData(5, 5, 1, 1)]
    public void ConstantImagesStayConstant(int sw, int sh, int w, int h)
    {
        var image = new RgbImage(sw, sh);
        Array.Fill(image.Data, (byte)173);
        foreach (RgbImage resized in new[] { ImageResize.Area(image, w, h), ImageResize.Bilinear(image, w, h), ImageResize.Resize(image, w, h) })
        {
            Assert.Equal(w, resized.Width);
            Assert.Equal(h, resized.Height);
            Assert.All(resized.Data, v => Assert.Equal(173, v));
        }
    }

    [Fact]
    public void NonIntegerAreaDownscaleKeepsTheMean()
    {
        RgbImage image = TestImages.Photo(99, 61);
        RgbImage small = ImageResize.Area(image, 40, 25);
        Assert.InRange(Math.Abs(image.Data.Average(v => v) - small.Data.Average(v => v)), 0, 1.0);
    }

    [Fact]
    public void BilinearDoublingPutsOriginalsBetweenOutputs()
    {
        var image = new GrayImage(2, 1, [0, 200]);
        GrayImage big = ImageResize.Bilinear(image, 4, 1);
        // Output centres at source x = -0.25, 0.25, 0.75, 1.25: edges replicate.
        Assert.Equal(new byte[] { 0, 50, 150, 200 }, big.Data);
    }
}
