using Doppel.Media.Files;
using Doppel.Media.Imaging;
using Doppel.Media.Tests.Support;

namespace Doppel.Media.Tests.Files;

/// <summary>Phone photos are stored sideways with an EXIF orientation tag; ImageFile must return them upright.</summary>
public class ImageOrientationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void JpegWithOrientationSixComesOutTurnedAQuarterClockwise(bool littleEndian)
    {
        using var temp = new TempDirectory();
        string plain = temp.File("plain.jpg");
        ImageFile.Write(plain, TestImages.Photo(40, 24));
        RgbImage stored = ImageFile.Read(plain);

        string tagged = temp.File("tagged.jpg");
        byte[] jpeg = File.ReadAllBytes(plain);
        File.WriteAllBytes(tagged, [.. jpeg[..2], .. ExifSegment(6, littleEndian), .. jpeg[2..]]);

        RgbImage upright = ImageFile.Read(tagged);
        Assert.Equal((24, 40), (upright.Width, upright.Height));
        // A quarter turn clockwise: output (x, y) shows stored (y, H - 1 - x).
        for (int y = 0; y < upright.Height; y++)
            for (int x = 0; x < upright.Width; x++)
                Assert.Equal(stored.GetPixel(y, stored.Height - 1 - x), upright.GetPixel(x, y));
    }

    /// <summary>An APP1 segment holding a minimal EXIF TIFF with one IFD0 entry: orientation.</summary>
    private static byte[] ExifSegment(ushort orientation, bool little)
    {
        byte[] U16(ushort v) => little ? [(byte)v, (byte)(v >> 8)] : [(byte)(v >> 8), (byte)v];
        byte[] U32(uint v) => little ? [(byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24)] : [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];
        byte[] tiff = [.. (little ? "II"u8 : "MM"u8), .. U16(42), .. U32(8), .. U16(1),
            .. U16(0x0112), .. U16(3), .. U32(1), .. U16(orientation), 0, 0, .. U32(0)];
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        int length = payload.Length + 2;
        return [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
    }
}
