using Doppel.Core;
using Doppel.Media.Imaging;
using Doppel.Media.Png;
using Doppel.Media.Tests.Support;

namespace Doppel.Media.Tests.Png;

public class PngChunkTests
{
    private static readonly byte[] Manifest = "c2pa manifest store bytes"u8.ToArray();

    [Fact]
    public void ExtraChunksAreWrittenBeforeIendAndReadBack()
    {
        RgbImage image = TestImages.Photo(20, 10);
        byte[] png = PngWriter.Encode(image, new PngWriteOptions { ExtraChunks = [new PngChunk("caBX", Manifest), new PngChunk("tEXt", "Software\0Doppel"u8.ToArray())] });

        IReadOnlyList<PngChunk> chunks = PngChunks.ReadAll(png);
        Assert.Equal(["IHDR", "IDAT", "caBX", "tEXt", "IEND"], chunks.Select(c => c.Type));
        Assert.Equal(Manifest, PngChunks.Find(png, "caBX").Single().Data);

        PngDecoded decoded = PngReader.Decode(png);
        Assert.Equal(image.Data, decoded.Image.Data);
        Assert.Equal(["caBX", "tEXt"], decoded.AncillaryChunks.Select(c => c.Type));
    }

    [Theory]
    [InlineData(PngChunkPlacement.AfterHeader, 1)]
    [InlineData(PngChunkPlacement.BeforeEnd, 2)]
    public void InsertIntoAnExistingFileKeepsPixelsAndFfmpegCompatibility(PngChunkPlacement placement, int expectedPosition)
    {
        using var temp = new TempDirectory();
        RgbImage image = TestImages.Noise(13, 7);
        byte[] png = PngChunks.Insert(PngWriter.Encode(image), new PngChunk("caBX", Manifest), placement);
        Assert.Equal("caBX", PngChunks.ReadAll(png)[expectedPosition].Type);
        string path = temp.File("signed.png");
        File.WriteAllBytes(path, png);
        Assert.Equal(image.Data, PngReader.Read(path).Data);
        Assert.Equal(image.Data, FfmpegCli.DecodeToRgb(path, 13, 7).Data);
    }

    [Fact]
    public void RemoveRestoresTheOriginalBytes()
    {
        byte[] original = PngWriter.Encode(TestImages.Noise(5, 5));
        byte[] signed = PngChunks.Insert(original, new PngChunk("caBX", Manifest));
        Assert.Equal(original, PngChunks.Remove(signed, "caBX"));
    }

    [Fact]
    public void CriticalChunksCannotBeAddedOrRemoved()
    {
        byte[] png = PngWriter.Encode(TestImages.Noise(2, 2));
        Assert.Throws<DoppelException>(() => PngChunks.Insert(png, new PngChunk("IDAT", [1])));
        Assert.Throws<DoppelException>(() => PngChunks.Remove(png, "IHDR"));
        Assert.Throws<DoppelException>(() => PngWriter.Encode(TestImages.Noise(2, 2), new PngWriteOptions { ExtraChunks = [new PngChunk("ABCD", [])] }));
        Assert.Throws<DoppelException>(() => new PngChunk("ca1X", []));
    }
}
