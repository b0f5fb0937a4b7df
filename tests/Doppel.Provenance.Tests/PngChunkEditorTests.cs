using System.Diagnostics;
using Doppel.Core;
using Doppel.Media.Imaging;
using Doppel.Media.Png;
using Doppel.Provenance.Assets;

namespace Doppel.Provenance.Tests;

/// <summary>
/// The embedder's own PNG container code: chunks inserted into and removed from an existing
/// file, pixels untouched (Doppel.Media's decoder and ffmpeg read the same image), damage refused.
/// </summary>
public class PngChunkEditorTests
{
    private static readonly byte[] Store = "c2pa manifest store bytes"u8.ToArray();

    private static RgbImage Noise(int width, int height, int seed = 1)
    {
        var image = new RgbImage(width, height);
        new Random(seed).NextBytes(image.Data);
        return image;
    }

    [Theory]
    [InlineData(PngChunkPlacement.AfterHeader, 1)]
    [InlineData(PngChunkPlacement.BeforeEnd, 2)]
    public void InsertIntoAnExistingFileKeepsPixelsAndFfmpegCompatibility(PngChunkPlacement placement, int expectedPosition)
    {
        RgbImage image = Noise(13, 7);
        byte[] png = PngChunkEditor.Insert(PngWriter.Encode(image), "caBX", Store, placement, "test.png");

        List<PngChunkSpan> chunks = PngChunkEditor.Scan(png, "test.png", strict: true);
        Assert.Equal("caBX", chunks[expectedPosition].Type);
        Assert.Equal(Store, chunks[expectedPosition].Data(png).ToArray());
        Assert.Equal(image.Data, PngReader.Decode(png).Image.Data);
        Assert.Equal(image.Data, FfmpegDecode(png, 13, 7));
    }

    [Fact]
    public void RemoveRestoresTheOriginalBytes()
    {
        byte[] original = PngWriter.Encode(Noise(5, 5));
        byte[] signed = PngChunkEditor.Insert(original, "caBX", Store, PngChunkPlacement.AfterHeader, "a.png");
        signed = PngChunkEditor.Insert(signed, "caBX", Store, PngChunkPlacement.BeforeEnd, "a.png");
        Assert.Equal(original, PngChunkEditor.Remove(signed, "caBX", "a.png"));
    }

    [Fact]
    public void CriticalChunksCannotBeAddedOrRemoved()
    {
        byte[] png = PngWriter.Encode(Noise(2, 2));
        Assert.Throws<DoppelException>(() => PngChunkEditor.Insert(png, "IDAT", [1], PngChunkPlacement.BeforeEnd, "a.png"));
        Assert.Throws<DoppelException>(() => PngChunkEditor.Remove(png, "IHDR", "a.png"));
        Assert.Throws<DoppelException>(() => PngChunkEditor.Insert(png, "ca1X", [1], PngChunkPlacement.BeforeEnd, "a.png"));
    }

    [Fact]
    public void EditingADamagedFileIsRefused_ReadingItIsNot()
    {
        byte[] png = PngWriter.Encode(Noise(4, 4));
        var idat = PngChunkEditor.Scan(png, "a.png").First(c => c.Type == "IDAT");
        byte[] flipped = (byte[])png.Clone();
        flipped[idat.DataOffset] ^= 0x10;
        var crc = Assert.Throws<DoppelException>(() => PngChunkEditor.Remove(flipped, "caBX", "a.png"));
        Assert.Contains("CRC mismatch in PNG chunk IDAT", crc.Message);
        Assert.Equal(["IHDR", "IDAT", "IEND"], PngChunkEditor.Scan(flipped, "a.png").Select(c => c.Type));

        byte[] cut = png[..(idat.End - 2)];
        Assert.Contains("more than the file has", Assert.Throws<DoppelException>(() => PngChunkEditor.Scan(cut, "a.png")).Message);
        byte[] noEnd = png[..idat.End];
        Assert.Contains("no IEND", Assert.Throws<DoppelException>(() => PngChunkEditor.Scan(noEnd, "a.png", strict: true)).Message);
    }

    private static byte[] FfmpegDecode(byte[] png, int width, int height)
    {
        string path = Path.Combine(Path.GetTempPath(), $"doppel-test-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, png);
        try
        {
            var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1" }) info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            var output = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(output);
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"ffmpeg failed: {stderr.Result}");
            Assert.Equal(width * height * 3, output.Length);
            return output.ToArray();
        }
        finally { File.Delete(path); }
    }
}
