using Doppel.Media.Files;
using Doppel.Media.Imaging;
using Doppel.Media.Tests.Support;

namespace Doppel.Media.Tests.Files;

/// <summary>Phone photos are stored sideways with an EXIF orientation tag; ImageFile must return them upright.</summary>
public class ImageOrientationTests
{
    /// <summary>
    /// Where the stored pixel (sx, sy) of a w x h image is shown, written from the tag's
    /// definition ("the 0th row is the visual top/bottom/left/right, the 0th column the visual
    /// left/right/top/bottom"), forwards, while the decoder maps the other way.
    /// </summary>
    private static (int X, int Y) Shown(int orientation, int sx, int sy, int w, int h) => orientation switch
    {
        1 => (sx, sy),
        2 => (w - 1 - sx, sy),
        3 => (w - 1 - sx, h - 1 - sy),
        4 => (sx, h - 1 - sy),
        5 => (sy, sx),
        6 => (h - 1 - sy, sx),
        7 => (h - 1 - sy, w - 1 - sx),
        8 => (sy, w - 1 - sx),
        _ => throw new ArgumentOutOfRangeException(nameof(orientation)),
    };

    public static TheoryData<int, bool> Orientations()
    {
        var data = new TheoryData<int, bool>();
        for (int o = 1; o <= 8; o++)
        {
            data.Add(o, true);
            data.Add(o, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Orientations))]
    public void JpegIsTurnedUprightByItsExifOrientation(int orientation, bool littleEndian)
    {
        using var temp = new TempDirectory();
        string plain = temp.File("plain.jpg");
        ImageFile.Write(plain, TestImages.Photo(40, 24));
        RgbImage stored = ImageFile.Read(plain);
        Assert.Equal((40, 24), (stored.Width, stored.Height));

        string tagged = temp.File("tagged.jpg");
        byte[] jpeg = File.ReadAllBytes(plain);
        File.WriteAllBytes(tagged, [.. jpeg[..2], .. ExifSegment((ushort)orientation, littleEndian), .. jpeg[2..]]);

        RgbImage upright = ImageFile.Read(tagged);
        bool turned = orientation >= 5;
        Assert.Equal(turned ? (24, 40) : (40, 24), (upright.Width, upright.Height));
        for (int sy = 0; sy < stored.Height; sy++)
            for (int sx = 0; sx < stored.Width; sx++)
            {
                var (x, y) = Shown(orientation, sx, sy, stored.Width, stored.Height);
                Assert.Equal(stored.GetPixel(sx, sy), upright.GetPixel(x, y));
            }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 7)]
    [InlineData(7, 1)]
    [InlineData(3, 5)]
    [InlineData(16, 9)]
    public void EveryOrientationMovesEveryPixelOnce(int width, int height)
    {
        var random = new Random(width * 31 + height);
        var rgba = new byte[width * height * 4];
        random.NextBytes(rgba);
        for (int o = 1; o <= 8; o++)
        {
            RgbImage shown = OrientedCopy.ToRgb(rgba, width, height, (ImageOrientation)o);
            for (int sy = 0; sy < height; sy++)
                for (int sx = 0; sx < width; sx++)
                {
                    var (x, y) = Shown(o, sx, sy, width, height);
                    int at = (sy * width + sx) * 4;
                    Assert.Equal((rgba[at], rgba[at + 1], rgba[at + 2]), shown.GetPixel(x, y));
                }
        }
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
