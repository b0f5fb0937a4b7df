namespace Doppel.Media.Ffmpeg;

/// <summary>
/// A file path as ffmpeg should see it: absolute, with the <c>file:</c> protocol prefix so a name
/// such as "clip:1.mp4" or "-x.mp4" is never read as a protocol or an option.
/// </summary>
internal static class FfmpegPath
{
    public static string Of(string path) => "file:" + Path.GetFullPath(path);
}
