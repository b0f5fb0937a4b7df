namespace Doppel.Media.Png;

/// <summary>The IHDR colour types; the number is the value stored in the file.</summary>
public enum PngColorType : byte
{
    Gray = 0,
    Rgb = 2,
    Palette = 3,
    GrayAlpha = 4,
    Rgba = 6,
}
