using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Doppel.Faces.Extraction;

/// <summary>
/// File names of face crops: <c>{source stem}-{hash}_{frame:000000}_{face}.png</c>, e.g.
/// <c>franck-3f9a1c20_000123_0.png</c>. The hash (first 8 hex digits of SHA-256 of the source's
/// absolute path) keeps two "clip.mp4"s from different folders apart, and the common
/// <see cref="Prefix"/> lets a rerun delete every crop of a source, including those an
/// interrupted run wrote after its last checkpoint.
/// </summary>
public static class CropNames
{
    public static string Prefix(string sourcePath)
    {
        string full = Path.GetFullPath(sourcePath);
        string stem = Sanitise(Path.GetFileNameWithoutExtension(full));
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..8];
        return $"{stem}-{hash}_";
    }

    public static string For(string sourcePath, long frame, int face) =>
        Prefix(sourcePath) + string.Create(CultureInfo.InvariantCulture, $"{frame:D6}_{face}.png");

    // Keep names portable (no spaces, quotes or non-ASCII surprises on other file systems).
    private static string Sanitise(string stem)
    {
        var sb = new StringBuilder(Math.Min(stem.Length, 60));
        foreach (char c in stem.Take(60))
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_');
        return sb.Length == 0 ? "source" : sb.ToString();
    }
}
