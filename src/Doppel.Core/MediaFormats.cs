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
        [".avif"] = "image/avif",
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
    private static readonly HashSet<string> ReadOnlyImages = new(StringComparer.OrdinalIgnoreCase) { ".avif", ".jfif" };

    /// <summary>
    /// Image formats people have (phone photos) that nothing on this machine decodes: Debian's
    /// ffmpeg 5.1 has no HEIF demuxer and SkiaSharp's Linux build no HEIF codec. They are not
    /// in the image list; they are named so that such a file gets <see cref="CannotDecode"/>
    /// instead of a puzzling "not a video". (AVIF stays: ffmpeg 5.1 decodes it with dav1d.)
    /// </summary>
    private static readonly Dictionary<string, string> Undecodable = new(StringComparer.OrdinalIgnoreCase)
    {
        [".heic"] = "HEIC", [".heics"] = "HEIC", [".heif"] = "HEIF", [".hif"] = "HEIF",
    };

    public static IEnumerable<string> ImageExtensions => Images.Keys;

    public static IEnumerable<string> VideoExtensions => Videos.Keys;

    public static bool IsImage(string path) => Images.ContainsKey(Path.GetExtension(path));

    public static bool IsVideo(string path) => Videos.ContainsKey(Path.GetExtension(path));

    /// <summary>Whether the file is, by its extension, an image Doppel cannot decode here (HEIC/HEIF).</summary>
    public static bool IsUndecodableImage(string path) => Undecodable.ContainsKey(Path.GetExtension(path));

    /// <summary>The error for an image in a format nothing here decodes ("HEIC", by extension when not given).</summary>
    public static DoppelException CannotDecode(string path, string? format = null) =>
        new($"{path}: {format ?? Undecodable.GetValueOrDefault(Path.GetExtension(path), "HEIF")} cannot be decoded on this machine; convert to JPEG or PNG",
            "Debian's ffmpeg 5.1 and SkiaSharp have no HEIF decoder; export the photo as JPEG (on an iPhone: Settings > Camera > Formats > Most Compatible)");

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
