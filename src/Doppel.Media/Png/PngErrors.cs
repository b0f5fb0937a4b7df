namespace Doppel.Media.Png;

internal static class PngErrors
{
    public const string Hint = "the file is damaged or not a PNG; re-export it, or open it with ImageFile.Read (SkiaSharp) to see whether another decoder can";
}
