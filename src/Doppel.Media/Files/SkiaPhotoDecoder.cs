using System.Runtime.InteropServices;
using Doppel.Core;
using Doppel.Media.Imaging;
using SkiaSharp;

namespace Doppel.Media.Files;

/// <summary>
/// Decodes JPEG, PNG, WebP, BMP and GIF (first frame) in process with SkiaSharp (Skia's codecs:
/// libjpeg-turbo, libpng, libwebp), and turns the pixels upright by the file's EXIF orientation.
/// The size in the header is checked against <see cref="ImageFile.MaxPixels"/> before a single
/// pixel is decoded or a buffer allocated, so a small file that claims to be enormous (a
/// decompression bomb) costs nothing. Colours are the stored values: no colour management, as
/// Doppel's PNG reader and ffmpeg's rgb24 give.
/// </summary>
internal static class SkiaPhotoDecoder
{
    public static unsafe RgbImage Decode(string path, byte[] bytes, string format)
    {
        using SKData data = SKData.CreateCopy(bytes);
        using SKCodec codec = SKCodec.Create(data) ?? throw Damaged(path, format, "its header cannot be read");
        SKImageInfo stored = codec.Info;
        if (stored.Width <= 0 || stored.Height <= 0)
            throw Damaged(path, format, $"its header gives a size of {stored.Width} x {stored.Height}");
        long pixels = (long)stored.Width * stored.Height;
        if (pixels > ImageFile.MaxPixels) throw TooLarge(path, format, stored.Width, stored.Height);

        // Unpremultiplied, so a transparent PNG keeps its colours (alpha is dropped, as ffmpeg does).
        var info = new SKImageInfo(stored.Width, stored.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        nuint size = (nuint)(pixels * OrientedCopy.SourceChannels);
        void* buffer = NativeMemory.Alloc(size);
        try
        {
            SKCodecResult result = codec.GetPixels(info, (IntPtr)buffer);
            // A progressive JPEG cut short still decodes "successfully" (libjpeg reads its scans
            // up front and pads the rest), so its end is checked by hand.
            if (result == SKCodecResult.IncompleteInput || (result == SKCodecResult.Success && format == "JPEG" && !JpegHasEnd(bytes)))
                throw new DoppelException($"{path} is truncated: its {format} data ends before the image does",
                    "the file was cut short (an interrupted download or copy); copy or export it again");
            if (result != SKCodecResult.Success)
                throw Damaged(path, format, $"Skia could not decode its pixels ({result})");
            return OrientedCopy.ToRgb(new ReadOnlySpan<byte>(buffer, checked((int)size)), stored.Width, stored.Height, Orientation(codec.EncodedOrigin));
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    // The end-of-image marker (FF D9) must follow the last start-of-scan marker (FF DA). Inside
    // the coded data an FF byte is always followed by 00 or a restart marker, so neither can
    // appear there by chance; a thumbnail's markers come before the main image's scans, and
    // data some cameras append after the end leaves the order intact.
    private static bool JpegHasEnd(ReadOnlySpan<byte> jpeg)
    {
        int lastScan = jpeg.LastIndexOf((ReadOnlySpan<byte>)[0xFF, 0xDA]);
        return lastScan >= 0 && jpeg[lastScan..].IndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]) >= 0;
    }

    // SKEncodedOrigin's values are the EXIF tag's; anything else (a broken tag) means upright.
    private static ImageOrientation Orientation(SKEncodedOrigin origin) =>
        (int)origin is >= 1 and <= 8 ? (ImageOrientation)(int)origin : ImageOrientation.TopLeft;

    private static DoppelException Damaged(string path, string format, string what) =>
        new($"{path} is a damaged {format} file: {what}", "open it in an image viewer to check; re-export or copy it again");

    private static DoppelException TooLarge(string path, string format, int width, int height) =>
        new(FormattableString.Invariant(
                $"{path}: the {format} header says {width} x {height} pixels ({(double)width * height / 1e6:F0} megapixels); Doppel decodes photos of at most {ImageFile.MaxPixels / 1_000_000} megapixels"),
            "if the photo is real, scale it down first; a small file that claims this size is damaged or made to exhaust memory (a decompression bomb)");
}
