using Doppel.Core;
using Doppel.Media.Imaging;
using Doppel.Media.Tests.Support;

namespace Doppel.Media.Tests.Imaging;

public class ImageTypeTests
{
    [Fact]
    public void PixelsAreInterleavedRowMajor()
    {
        var image = new RgbImage(3, 2);
        image.SetPixel(2, 1, 10, 20, 30);
        Assert.Equal(new byte[] { 10, 20, 30 }, image.Data[15..18]); // (y * W + x) * 3 = 15
        Assert.Equal((10, 20, 30), ((int, int, int))image.GetPixel(2, 1));
    }

    [Fact]
    public void InvalidSizesAndBuffersAreRejected()
    {
        Assert.Throws<DoppelException>(() => new RgbImage(0, 5));
        Assert.Throws<ArgumentException>(() => new RgbImage(2, 2, new byte[11]));
        Assert.Throws<DoppelException>(() => new GrayImage(3, -1));
    }

    [Fact]
    public void CropCopiesTheRectangle()
    {
        RgbImage image = TestImages.Noise(10, 8);
        RgbImage crop = image.Crop(3, 2, 4, 5);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 4; x++)
                Assert.Equal(image.GetPixel(x + 3, y + 2), crop.GetPixel(x, y));
        Assert.Throws<ArgumentOutOfRangeException>(() => image.Crop(8, 0, 3, 1));
    }

    [Fact]
    public void GrayscaleUsesBt601WeightsAndKeepsExtremes()
    {
        var image = new RgbImage(4, 1);
        image.SetPixel(0, 0, 255, 255, 255);
        image.SetPixel(1, 0, 255, 0, 0);
        image.SetPixel(2, 0, 0, 255, 0);
        image.SetPixel(3, 0, 0, 0, 255);
        GrayImage gray = Grayscale.FromRgb(image);
        Assert.Equal(new byte[] { 255, 77, 149, 29 }, gray.Data);
        Assert.Equal(Grayscale.ToRgb(gray).GetPixel(1, 0), ((byte)77, (byte)77, (byte)77));
    }

    [Fact]
    public void FloatConversionsRoundTrip()
    {
        RgbImage image = TestImages.Noise(7, 3);
        var planar = new float[image.Data.Length];
        var interleaved = new float[image.Data.Length];
        FloatPixels.ToPlanar(image, planar, 1 / 127.5f, -1);
        FloatPixels.ToInterleaved(image, interleaved, 1 / 255f, 0);
        Assert.Equal(image.Data[3] / 127.5f - 1, planar[1], 5); // R of pixel 1 is planar[1]
        Assert.Equal(image.Data[5] / 127.5f - 1, planar[2 * 21 + 1], 5); // B of pixel 1
        Assert.All(planar, v => Assert.InRange(v, -1f, 1f));
        Assert.Equal(image.Data, FloatPixels.FromPlanar(planar, 7, 3, 1 / 127.5f, -1).Data);
        Assert.Equal(image.Data, FloatPixels.FromInterleaved(interleaved, 7, 3, 1 / 255f, 0).Data);
    }
}
