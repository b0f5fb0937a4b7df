namespace Doppel.Media.Png;

internal static class PngErrors
{
    public const string Hint = "the file is damaged or not a PNG; re-export it, or open it with ImageFile.Read (ffmpeg) to see whether ffmpeg can decode it";
}
