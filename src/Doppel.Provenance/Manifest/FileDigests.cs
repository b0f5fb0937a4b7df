using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Doppel.Provenance.Manifest;

/// <summary>
/// SHA-256 of ingredient files, remembered per (path, length, last write time). A PNG sequence
/// labels every frame with the same source video and model weights as ingredients; hashing the
/// Original model's 330 MB of weights again for each frame would cost more than converting it.
/// A file that changes gets a new length or write time, and so a new hash.
/// </summary>
internal static class FileDigests
{
    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Written), byte[]> Cache = new();

    /// <param name="stream">The file, open for reading; read from the start only when the hash is not known.</param>
    public static byte[] Sha256(string path, Stream stream)
    {
        var info = new FileInfo(path);
        var key = (info.FullName, info.Length, info.LastWriteTimeUtc);
        if (Cache.TryGetValue(key, out byte[]? known)) return known;
        stream.Position = 0;
        byte[] hash = SHA256.HashData(stream);
        if (Cache.Count > 1024) Cache.Clear(); // a bound, for long-lived processes; entries are cheap to recompute
        Cache[key] = hash;
        return hash;
    }
}
