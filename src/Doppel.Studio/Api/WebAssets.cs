using System.Reflection;
using Doppel.Provenance.Assets;

namespace Doppel.Studio.Api;

/// <summary>
/// The page's files (index.html, scripts, styles), embedded in this assembly at build time and
/// served from memory: Studio needs no network, no CDN and no files beside the program.
/// </summary>
public static class WebAssets
{
    private static readonly Dictionary<string, byte[]> Files = Load();

    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    /// <summary>The file's bytes and content type, or null when there is no such asset.</summary>
    public static (byte[] Bytes, string ContentType)? Get(string name) =>
        Files.TryGetValue(name, out var bytes) ? (bytes, Types.GetValueOrDefault(Path.GetExtension(name)) ?? MediaTypes.FromExtension(name)) : null;

    public static IEnumerable<string> Names => Files.Keys;

    private static Dictionary<string, byte[]> Load()
    {
        var assembly = typeof(WebAssets).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith("web/", StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[resource["web/".Length..]] = copy.ToArray();
        }
        return files;
    }
}
