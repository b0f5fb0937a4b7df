namespace Doppel.Provenance.Assets;

/// <summary>MIME types for the dc:format of claims and ingredients: from the file's bytes when an embedder knows them, else from its extension.</summary>
public static class MediaTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".gif"] = "image/gif",
        [".webp"] = "image/webp", [".bmp"] = "image/bmp", [".tif"] = "image/tiff", [".tiff"] = "image/tiff",
        [".ppm"] = "image/x-portable-pixmap", [".mp4"] = "video/mp4", [".m4v"] = "video/mp4", [".mov"] = "video/quicktime",
        [".webm"] = "video/webm", [".mkv"] = "video/x-matroska", [".avi"] = "video/x-msvideo", [".wav"] = "audio/wav",
        [".mp3"] = "audio/mpeg", [".json"] = "application/json", [".onnx"] = "application/octet-stream",
        [".html"] = "text/html", [".txt"] = "text/plain", [".c2pa"] = "application/c2pa",
    };

    public static string FromExtension(string path) =>
        ByExtension.TryGetValue(Path.GetExtension(path), out string? mime) ? mime : "application/octet-stream";

    /// <summary>The format of a file: its embedder's when one recognises the bytes, else by extension.</summary>
    public static string Of(string path, ReadOnlySpan<byte> head) => AssetEmbedders.For(head).MediaType ?? FromExtension(path);
}
