using Doppel.Media.Imaging;
using SkiaSharp;

/// <summary>Skia's PNG encoder on an RGB crop, for comparison with Doppel's PngWriter (the bench's only use of it).</summary>
internal static class SkiaPng
{
    public static unsafe byte[] Encode(RgbImage image, int zlibLevel)
    {
        var rgba = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; i < image.Data.Length; i += 3, j += 4)
        {
            rgba[j] = image.Data[i];
            rgba[j + 1] = image.Data[i + 1];
            rgba[j + 2] = image.Data[i + 2];
            rgba[j + 3] = 255;
        }
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        fixed (byte* pixels = rgba)
        {
            using var pixmap = new SKPixmap(info, (IntPtr)pixels);
            using SKData data = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, zlibLevel))
                ?? throw new InvalidOperationException("Skia could not encode the PNG");
            return data.ToArray();
        }
    }
}
