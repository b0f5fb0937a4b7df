namespace Doppel.Media.Imaging;

/// <summary>
/// RGB to luma with the BT.601 weights (0.299, 0.587, 0.114), the ones OpenCV, dlib and
/// most face detectors were trained with. Integer weights 77/150/29 sum to 256, so a white
/// pixel stays 255 and the result is reproducible bit for bit on every machine.
/// </summary>
public static class Grayscale
{
    private const int WeightR = 77, WeightG = 150, WeightB = 29;

    public static GrayImage FromRgb(RgbImage source)
    {
        var result = new GrayImage(source.Width, source.Height);
        Convert(source.Data, result.Data);
        return result;
    }

    /// <summary>Converts interleaved RGB to luma; <paramref name="gray"/> holds one byte per pixel.</summary>
    public static void Convert(ReadOnlySpan<byte> rgb, Span<byte> gray)
    {
        if (rgb.Length != gray.Length * 3)
            throw new ArgumentException($"rgb has {rgb.Length} bytes, gray {gray.Length}: expected a 3:1 ratio");
        for (int i = 0, j = 0; i < gray.Length; i++, j += 3)
            gray[i] = (byte)((WeightR * rgb[j] + WeightG * rgb[j + 1] + WeightB * rgb[j + 2] + 128) >> 8);
    }

    /// <summary>Gray back to RGB by repeating the value in all three channels.</summary>
    public static RgbImage ToRgb(GrayImage source)
    {
        var result = new RgbImage(source.Width, source.Height);
        byte[] dst = result.Data;
        byte[] src = source.Data;
        for (int i = 0, j = 0; i < src.Length; i++, j += 3)
            dst[j] = dst[j + 1] = dst[j + 2] = src[i];
        return result;
    }
}
