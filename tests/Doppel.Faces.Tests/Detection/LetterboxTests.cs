using Doppel.Faces.Detection;
using Doppel.Media.Imaging;

namespace Doppel.Faces.Tests.Detection;

public class LetterboxTests
{
    [Fact]
    public void A4To3Frame_IsCentredBetweenBlackBands()
    {
        var box = Letterbox.For(360, 288, 128);
        Assert.Equal((128, 102, 0, 13), (box.ResizedWidth, box.ResizedHeight, box.PadX, box.PadY));

        var white = new RgbImage(360, 288);
        Array.Fill(white.Data, (byte)255);
        var input = new float[128 * 128 * 3];
        box.Fill(white, input);
        float At(int x, int y) => input[(y * 128 + x) * 3];
        Assert.Equal(-1f, At(64, 0));
        Assert.Equal(-1f, At(64, 12));
        Assert.Equal(1f, At(64, 13), 5);
        Assert.Equal(1f, At(64, 114), 5);
        Assert.Equal(-1f, At(64, 115));
        Assert.Equal(-1f, At(64, 127));
    }

    [Fact]
    public void ToSource_MapsTheImageAreaBackOntoTheFrame()
    {
        var box = Letterbox.For(360, 288, 128);
        var topLeft = box.ToSource(0, 13f / 128);
        var bottomRight = box.ToSource(1, 115f / 128);
        Assert.Equal(0, topLeft.X, 6);
        Assert.Equal(0, topLeft.Y, 6);
        Assert.Equal(360, bottomRight.X, 6);
        Assert.Equal(288, bottomRight.Y, 6);
    }

    [Theory]
    [InlineData(288, 360)] // portrait: bands left and right
    [InlineData(64, 64)] // smaller than the input: enlarged, no bands
    [InlineData(1, 300)]
    public void OtherShapes_MapCornersToCorners(int width, int height)
    {
        var box = Letterbox.For(width, height, 128);
        var topLeft = box.ToSource((float)box.PadX / 128, (float)box.PadY / 128);
        var bottomRight = box.ToSource((float)(box.PadX + box.ResizedWidth) / 128, (float)(box.PadY + box.ResizedHeight) / 128);
        Assert.Equal(0, topLeft.X, 4);
        Assert.Equal(0, topLeft.Y, 4);
        Assert.Equal(width, bottomRight.X, 3);
        Assert.Equal(height, bottomRight.Y, 3);
        box.Fill(new RgbImage(width, height), new float[128 * 128 * 3]);
    }
}
