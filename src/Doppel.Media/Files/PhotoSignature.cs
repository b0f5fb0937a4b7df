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

    /// <summary>HEIF major brands of HEVC-coded stills (ISO/IEC 23008-12): what phones write as .heic.</summary>
    private static readonly string[] HeicBrands = ["heic", "heix", "heim", "heis", "hevc", "hevx"];

    /// <summary>"JPEG", "PNG", "GIF", "WebP" or "BMP"; "HEIC" for a HEIF image, which nothing here decodes; null for anything else.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "JPEG";
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return "PNG";
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return "GIF";
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return "WebP";
        if (head.StartsWith("BM"u8)) return "BMP";
        // ISO BMFF: size (4 bytes), "ftyp", major brand.
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8) && HeicBrands.Contains(System.Text.Encoding.ASCII.GetString(head[8..12]))) return "HEIC";
        return null;
    }
}
