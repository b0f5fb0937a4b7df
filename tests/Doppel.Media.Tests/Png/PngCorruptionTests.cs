using System.Buffers.Binary;
using Doppel.Core;
using Doppel.Media.Png;
using Doppel.Media.Tests.Support;

namespace Doppel.Media.Tests.Png;

public class PngCorruptionTests
{
    private static byte[] ValidPng() => PngWriter.Encode(TestImages.Photo(16, 9));

    [Fact]
    public void FlippedBitInImageDataIsACrcError()
    {
        byte[] png = ValidPng();
        png[8 + 25 + 10] ^= 0x04; // inside the first IDAT's payload (after signature and IHDR)
        var e = Assert.Throws<DoppelException>(() => PngReader.Decode(png, "crop.png"));
        Assert.Contains("CRC", e.Message);
        Assert.Contains("IDAT", e.Message);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void FlippedBitInHeaderIsACrcError()
    {
        byte[] png = ValidPng();
        png[8 + 8 + 3] ^= 0x01; // width's low byte
        Assert.Contains("CRC", Assert.Throws<DoppelException>(() => PngReader.Decode(png)).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(60)]
    public void TruncatedFileIsReported(int keep)
    {
        byte[] png = ValidPng();
        Assert.Throws<DoppelException>(() => PngReader.Decode(png.AsSpan(0, Math.Min(keep, png.Length - 1))));
        Assert.Throws<DoppelException>(() => PngReader.Decode(png.AsSpan(0, png.Length - 1)));
    }

    [Fact]
    public void NotAPngIsReported()
    {
        var e = Assert.Throws<DoppelException>(() => PngReader.Decode("hello, this is text"u8, "notes.png"));
        Assert.Contains("not a PNG", e.Message);
    }

    [Fact]
    public void CorruptDeflateDataWithValidCrcIsReported()
    {
        byte[] png = ValidPng();
        int idat = 8 + 25;
        int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(idat));
        for (int i = 2; i < length; i++) png[idat + 8 + i] = 0xFF; // keep the zlib header, wreck the rest
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(idat + 8 + length), Crc32.Compute(png.AsSpan(idat + 4, 4 + length)));
        Assert.Throws<DoppelException>(() => PngReader.Decode(png));
    }

    [Fact]
    public void InterlacedPngIsRejectedClearly()
    {
        using var temp = new TempDirectory();
        string path = temp.File("interlaced.png");
        FfmpegCli.EncodePng(TestImages.Photo(9, 9), path, "rgb24", interlaced: true);
        var e = Assert.Throws<DoppelException>(() => PngReader.Read(path));
        Assert.Contains("interlaced", e.Message);
        Assert.Contains("ImageFile.Read", e.Hint);
    }

    [Fact]
    public void MissingFileIsReported()
    {
        var e = Assert.Throws<DoppelException>(() => PngReader.Read("/nonexistent/face.png"));
        Assert.Contains("not found", e.Message);
    }
}
