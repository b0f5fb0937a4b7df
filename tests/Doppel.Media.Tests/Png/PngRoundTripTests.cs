using Doppel.Core;
using Doppel.Media.Imaging;
using Doppel.Media.Png;
using Doppel.Media.Tests.Support;

namespace Doppel.Media.Tests.Png;

public class PngRoundTripTests(FfmpegPngCorpus corpus) : IClassFixture<FfmpegPngCorpus>
{
    public static TheoryData<int, int> AwkwardSizes => new()
    {
        { 1, 1 }, { 7, 3 }, { 3, 7 }, { 1, 17 }, { 17, 1 }, { 63, 5 }, { 64, 64 }, { 65, 33 }, { 129, 2 },
    };

    [Theory]
    [MemberData(nameof(AwkwardSizes))]
    public void EveryFilterStrategyRoundTripsExactly(int width, int height)
    {
        foreach (RgbImage image in new[] { TestImages.Noise(width, height), TestImages.Photo(width, height) })
            foreach (PngFilterStrategy filter in Enum.GetValues<PngFilterStrategy>())
            {
                byte[] png = PngWriter.Encode(image, new PngWriteOptions { Filter = filter });
                PngDecoded decoded = PngReader.Decode(png);
                Assert.Equal(PngColorType.Rgb, decoded.Header.ColorType);
                Assert.Equal(image.Data, decoded.Image.Data);
                Assert.Null(decoded.Alpha);
            }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(33, 9)]
    public void GrayImagesRoundTrip(int width, int height)
    {
        var gray = new GrayImage(width, height);
        new Random(3).NextBytes(gray.Data);
        PngDecoded decoded = PngReader.Decode(PngWriter.Encode(gray));
        Assert.Equal(PngColorType.Gray, decoded.Header.ColorType);
        Assert.Equal(Grayscale.ToRgb(gray).Data, decoded.Image.Data);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(64, 64)]
    [InlineData(31, 17)]
    public void FfmpegDecodesOurPngsToTheSamePixels(int width, int height)
    {
        using var temp = new TempDirectory();
        RgbImage image = TestImages.Noise(width, height, seed: width * 31 + height);
        string path = temp.File("ours.png");
        PngWriter.Write(path, image);
        Assert.Equal(image.Data, FfmpegCli.DecodeToRgb(path, width, height).Data);
        Assert.Single(Directory.GetFiles(temp.Path)); // no temporary file left behind
    }

    public static TheoryData<string, int, int> FfmpegPixelFormats()
    {
        var data = new TheoryData<string, int, int>();
        foreach (string format in FfmpegPngCorpus.PixelFormats)
            foreach ((int w, int h) in FfmpegPngCorpus.Sizes)
                data.Add(format, w, h);
        return data;
    }

    [Theory]
    [MemberData(nameof(FfmpegPixelFormats))]
    public void ReadsEveryColourTypeFfmpegWrites(string pixelFormat, int width, int height)
    {
        PngDecoded decoded = PngReader.ReadWithChunks(corpus.PngPath(pixelFormat, width, height));
        RgbImage expected = corpus.FfmpegDecoding(pixelFormat, width, height);
        // 8-bit files must match exactly; from 16 bits ffmpeg's scaler rounds its own way.
        int tolerance = pixelFormat.Contains("16") || pixelFormat.Contains("48") || pixelFormat.Contains("64") ? 1 : 0;
        Assert.InRange(TestImages.MaxDifference(expected.Data, decoded.Image.Data), 0, tolerance);
        Assert.Equal(pixelFormat.StartsWith("rgba") || pixelFormat.StartsWith("ya"), decoded.Alpha is not null);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("sub")]
    [InlineData("up")]
    [InlineData("avg")]
    [InlineData("paeth")]
    [InlineData("mixed")]
    public void ReadsEachFilterTypeFfmpegWrites(string prediction) =>
        Assert.Equal(corpus.PredictionSource.Data, PngReader.Read(corpus.PredictionPath(prediction)).Data);

    [Fact]
    public void AlphaIsReturnedSeparately()
    {
        using var temp = new TempDirectory();
        string path = temp.File("alpha.png");
        string raw = temp.File("rgba.raw");
        var rgba = new byte[5 * 2 * 4];
        new Random(2).NextBytes(rgba);
        File.WriteAllBytes(raw, rgba);
        FfmpegCli.Run("-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgba", "-s", "5x2", "-i", raw, "-frames:v", "1", "-update", "1", path);
        PngDecoded decoded = PngReader.ReadWithChunks(path);
        for (int p = 0; p < 10; p++)
        {
            Assert.Equal(rgba[4 * p], decoded.Image.Data[3 * p]);
            Assert.Equal(rgba[4 * p + 3], decoded.Alpha!.Data[p]);
        }
    }

    [Fact]
    public void PaethPredictorMatchesItsDefinition()
    {
        for (int a = 0; a < 256; a += 5)
            for (int b = 0; b < 256; b += 7)
                for (int c = 0; c < 256; c += 3)
                {
                    int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                    int expected = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                    Assert.Equal(expected, PngFilters.Paeth((byte)a, (byte)b, (byte)c));
                }
    }

    [Fact]
    public void Crc32MatchesTheReferenceAndKnownValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8)); // the standard check value
        var data = new byte[300];
        new Random(4).NextBytes(data);
        for (int n = 0; n <= data.Length; n += 13)
            Assert.Equal(Crc32.Finish(Crc32.UpdateReference(Crc32.Start, data.AsSpan(0, n))), Crc32.Compute(data.AsSpan(0, n)));
    }
}
