namespace Doppel.Media.Files;

/// <summary>
/// Tells the formats SkiaSharp decodes from a file's first bytes (its magic number), so a
/// damaged JPEG is reported as a damaged JPEG, whatever its name, and a TIFF named .jpg still
/// reaches ffmpeg.
/// </summary>
internal static class PhotoSignature
{
    /// <summary>Bytes <see cref="Sniff"/> needs to see.</summary>
    public const int Length = 12;

    /// <summary>"JPEG", "PNG", "GIF", "WebP" or "BMP"; null for anything else.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "JPEG";
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return "PNG";
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return "GIF";
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return "WebP";
        if (head.StartsWith("BM"u8)) return "BMP";
        return null;
    }
}
