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

    [Fact]
    public void InvalidExtraChunksAreRefused()
    {
        Assert.Throws<DoppelException>(() => PngWriter.Encode(TestImages.Noise(2, 2), new PngWriteOptions { ExtraChunks = [new PngChunk("ABCD", [])] }));
        Assert.Throws<DoppelException>(() => new PngChunk("ca1X", []));
    }
}
