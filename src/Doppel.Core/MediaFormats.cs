namespace Doppel.Core;

/// <summary>
/// The one list of file extensions Doppel treats as images and videos, with their MIME types:
/// extract, convert, detect and the C2PA labeller all ask here, so a folder that one command
/// accepts, the others accept too.
/// </summary>
public static class MediaFormats
{
    private static readonly Dictionary<string, string> Images = new(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".jfif"] = "image/jpeg", [".png"] = "image/png",
        [".webp"] = "image/webp", [".bmp"] = "image/bmp", [".tif"] = "image/tiff", [".tiff"] = "image/tiff",
        [".gif"] = "image/gif", [".ppm"] = "image/x-portable-pixmap", [".pgm"] = "image/x-portable-graymap",
        [".avif"] = "image/avif", [".heic"] = "image/heic",
    };

    private static readonly Dictionary<string, string> Videos = new(StringComparer.OrdinalIgnoreCase)
    {
        [".mp4"] = "video/mp4", [".m4v"] = "video/mp4", [".mov"] = "video/quicktime", [".mkv"] = "video/x-matroska",
        [".avi"] = "video/x-msvideo", [".webm"] = "video/webm", [".mpg"] = "video/mpeg", [".mpeg"] = "video/mpeg",
        [".wmv"] = "video/x-ms-wmv", [".flv"] = "video/x-flv", [".ts"] = "video/mp2t", [".mts"] = "video/mp2t",
        [".3gp"] = "video/3gpp", [".ogv"] = "video/ogg",
    };

    /// <summary>Image formats Doppel can read but not write (no encoder in Debian's ffmpeg 5.1):
    /// an image converted from one of these is written as PNG.</summary>
    private static readonly HashSet<string> ReadOnlyImages = new(StringComparer.OrdinalIgnoreCase) { ".avif", ".heic", ".jfif" };

    public static IEnumerable<string> ImageExtensions => Images.Keys;

    public static IEnumerable<string> VideoExtensions => Videos.Keys;

    public static bool IsImage(string path) => Images.ContainsKey(Path.GetExtension(path));

    public static bool IsVideo(string path) => Videos.ContainsKey(Path.GetExtension(path));

    /// <summary>The name an image output gets for an input image: the same name, or .png where the format cannot be written.</summary>
    public static string WritableImageName(string fileName) =>
        ReadOnlyImages.Contains(Path.GetExtension(fileName)) ? Path.ChangeExtension(fileName, ".png") : fileName;

    /// <summary>The MIME type of an image or video by extension, or null for other files.</summary>
    public static string? MimeType(string path)
    {
        string extension = Path.GetExtension(path);
        return Images.TryGetValue(extension, out string? image) ? image : Videos.GetValueOrDefault(extension);
    }
}
