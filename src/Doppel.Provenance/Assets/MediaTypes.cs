using Doppel.Core;

namespace Doppel.Provenance.Assets;

/// <summary>MIME types for the dc:format of claims and ingredients: from the file's bytes when an embedder knows them, else from its extension.</summary>
public static class MediaTypes
{
    // Images and videos come from Doppel.Core's one list; these are the other files a claim names.
    private static readonly Dictionary<string, string> Others = new(StringComparer.OrdinalIgnoreCase)
    {
        [".wav"] = "audio/wav", [".mp3"] = "audio/mpeg", [".json"] = "application/json", [".onnx"] = "application/octet-stream",
        [".html"] = "text/html", [".txt"] = "text/plain", [".c2pa"] = "application/c2pa",
    };

    public static string FromExtension(string path) =>
        MediaFormats.MimeType(path) ?? Others.GetValueOrDefault(Path.GetExtension(path)) ?? "application/octet-stream";

    /// <summary>The format of a file: its embedder's when one recognises the bytes, else by extension.</summary>
    public static string Of(string path, ReadOnlySpan<byte> head) => AssetEmbedders.For(head).MediaType ?? FromExtension(path);
}
