using System.Buffers.Binary;
using Doppel.Core;
using Doppel.Provenance.Bmff;

namespace Doppel.Provenance.Assets;

/// <summary>The kinds of file Doppel can find a C2PA manifest store in.</summary>
public enum AssetFormat { Png, Jpeg, Mp4, Unknown }

/// <summary>Where the embedded manifest store lives in a file and its JUMBF bytes.</summary>
public sealed record EmbeddedManifest(byte[] Jumbf, string Container);

/// <summary>
/// Finds the embedded C2PA manifest store: the <c>caBX</c> chunk of a PNG, the JUMBF carried
/// by the APP11 (<c>FF EB</c>, "JP") segments of a JPEG, which are reassembled in sequence order,
/// or the C2PA <c>uuid</c> box of an MP4 (<see cref="Mp4ManifestLocator"/>).
/// All offsets are bounds-checked; malformed containers raise <see cref="DoppelException"/>.
/// </summary>
public static class ManifestLocator
{
    private static readonly byte[] PngSignature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static AssetFormat Detect(ReadOnlySpan<byte> file)
    {
        if (file.StartsWith(PngSignature)) return AssetFormat.Png;
        if (file.Length >= 3 && file[0] == 0xFF && file[1] == 0xD8 && file[2] == 0xFF) return AssetFormat.Jpeg;
        if (BmffReader.LooksLikeBmff(file)) return AssetFormat.Mp4;
        return AssetFormat.Unknown;
    }

    public static string MimeType(AssetFormat format) => format switch
    {
        AssetFormat.Png => "image/png",
        AssetFormat.Jpeg => "image/jpeg",
        AssetFormat.Mp4 => "video/mp4",
        _ => "application/octet-stream",
    };

    /// <summary>The embedded manifest store, or null when the file carries none.</summary>
    public static EmbeddedManifest? Find(ReadOnlySpan<byte> file, string source)
    {
        return Detect(file) switch
        {
            AssetFormat.Png => FindPng(file, source),
            AssetFormat.Jpeg => FindJpeg(file, source),
            AssetFormat.Mp4 => Mp4ManifestLocator.Find(file, source),
            _ => throw new DoppelException($"{source}: not a PNG, JPEG or MP4 file",
                "doppel verify reads PNG, JPEG and ISO BMFF (MP4/MOV) files; sidecar .c2pa files are not implemented yet"),
        };
    }

    /// <summary>PNG chunks as (start, data length, type); the walk stops at IEND or a truncated chunk.</summary>
    public static List<(int Start, int Length, string Type)> PngChunks(ReadOnlySpan<byte> png, string source)
    {
        var chunks = new List<(int, int, string)>();
        int pos = 8;
        while (pos < png.Length)
        {
            if (png.Length - pos < 12) throw new DoppelException($"{source}: truncated PNG chunk at byte {pos}", "the file is damaged or cut short");
            uint len = BinaryPrimitives.ReadUInt32BigEndian(png[pos..]);
            if (len > (uint)(png.Length - pos - 12)) throw new DoppelException($"{source}: PNG chunk at byte {pos} claims {len} bytes, more than the file has", "the file is damaged or cut short");
            string type = System.Text.Encoding.Latin1.GetString(png.Slice(pos + 4, 4));
            chunks.Add((pos, (int)len, type));
            pos += 12 + (int)len;
            if (type == "IEND") break;
        }
        return chunks;
    }

    private static EmbeddedManifest? FindPng(ReadOnlySpan<byte> png, string source)
    {
        foreach (var (start, length, type) in PngChunks(png, source))
            if (type == "caBX") return new EmbeddedManifest(png.Slice(start + 8, length).ToArray(), "PNG caBX chunk");
        return null;
    }

    private static EmbeddedManifest? FindJpeg(ReadOnlySpan<byte> jpg, string source)
    {
        // Segments: FF xx, then a 2-byte length that includes itself. Stop at SOS (image data follows).
        var packets = new SortedDictionary<uint, byte[]>();
        int pos = 2;
        while (pos + 4 <= jpg.Length)
        {
            if (jpg[pos] != 0xFF) throw new DoppelException($"{source}: JPEG marker expected at byte {pos}", "the file is damaged");
            byte marker = jpg[pos + 1];
            if (marker == 0xFF) { pos++; continue; }
            if (marker is 0xD9 or 0xDA) break;
            if (marker is >= 0xD0 and <= 0xD7 or 0x01) { pos += 2; continue; }
            int len = BinaryPrimitives.ReadUInt16BigEndian(jpg[(pos + 2)..]);
            if (len < 2 || pos + 2 + len > jpg.Length) throw new DoppelException($"{source}: JPEG segment at byte {pos} runs past the end", "the file is damaged or cut short");
            ReadOnlySpan<byte> seg = jpg.Slice(pos + 4, len - 2);
            // APP11 JUMBF: "JP", En (2 bytes), Z (4-byte sequence), then box data; from the
            // second packet on, the box header (LBox, TBox[, XLBox]) is repeated and skipped.
            if (marker == 0xEB && seg.Length >= 16 && seg[0] == (byte)'J' && seg[1] == (byte)'P')
            {
                uint z = BinaryPrimitives.ReadUInt32BigEndian(seg[4..]);
                ReadOnlySpan<byte> box = seg[8..];
                bool isC2pa = packets.Count > 0 || IsC2paStoreStart(box);
                if (isC2pa && !packets.ContainsKey(z))
                {
                    int skip = packets.Count == 0 ? 0 : (BinaryPrimitives.ReadUInt32BigEndian(box) == 1 ? 16 : 8);
                    if (skip > box.Length) throw new DoppelException($"{source}: APP11 segment at byte {pos} is too short", "the file is damaged");
                    packets[z] = box[skip..].ToArray();
                }
            }
            pos += 2 + len;
        }
        if (packets.Count == 0) return null;
        var all = new MemoryStream();
        foreach (byte[] p in packets.Values) all.Write(p);
        return new EmbeddedManifest(all.ToArray(), "JPEG APP11 segments");
    }

    private static bool IsC2paStoreStart(ReadOnlySpan<byte> box) =>
        box.Length >= 20 && box.Slice(4, 4).SequenceEqual("jumb"u8) && box.Slice(16, 4).SequenceEqual("c2pa"u8);
}
