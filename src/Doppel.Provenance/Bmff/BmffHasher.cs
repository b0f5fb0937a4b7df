using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Doppel.Provenance.Bmff;

/// <summary>
/// Computes the c2pa.hash.bmff hash of a file: the exclusions are resolved against the box tree
/// (xpath plus the length, version, flags and data predicates), the matched boxes or their
/// subsets are cut out, and what is left is hashed in file order. From version 2 on, the 8-byte
/// big-endian offset of each top-level box that is not wholly excluded goes into the hash just
/// before that box's bytes, so the hash also pins where the boxes sit.
/// </summary>
public static class BmffHasher
{
    public static HashAlgorithmName? Algorithm(string name) => name switch
    {
        "sha256" => HashAlgorithmName.SHA256,
        "sha384" => HashAlgorithmName.SHA384,
        "sha512" => HashAlgorithmName.SHA512,
        _ => null,
    };

    public static byte[] Hash(ReadOnlySpan<byte> file, IReadOnlyList<BmffBox> topLevel, IReadOnlyList<BmffExclusion> exclusions, int version, HashAlgorithmName algorithm)
    {
        var (excluded, wholeBoxes) = Resolve(file, topLevel, exclusions);
        List<(long Start, long End)> included = Complement(excluded, file.Length);
        var markers = new List<long>();
        if (version >= 2)
            foreach (BmffBox box in topLevel)
                if (!wholeBoxes.Contains(box.Offset) && KeepMarker(box.Offset, included)) markers.Add(box.Offset);

        using var hash = IncrementalHash.CreateHash(algorithm);
        Span<byte> offsetBytes = stackalloc byte[8];
        int m = 0;
        foreach (var (start, end) in included)
        {
            long pos = start;
            // a marker sorts before the bytes that start at its offset
            for (; m < markers.Count && markers[m] < end; m++)
            {
                if (markers[m] > pos) { hash.AppendData(file[(int)pos..(int)markers[m]]); pos = markers[m]; }
                BinaryPrimitives.WriteUInt64BigEndian(offsetBytes, (ulong)markers[m]);
                hash.AppendData(offsetBytes);
            }
            hash.AppendData(file[(int)pos..(int)end]);
        }
        for (; m < markers.Count; m++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(offsetBytes, (ulong)markers[m]);
            hash.AppendData(offsetBytes);
        }
        return hash.GetHashAndReset();
    }

    /// <summary>
    /// The byte ranges the exclusions cut out, sorted and merged, and the offsets of the boxes
    /// excluded whole (those lose their offset marker in v2 and later).
    /// </summary>
    public static (List<(long Start, long End)> Ranges, HashSet<long> WholeBoxes) Resolve(ReadOnlySpan<byte> file, IReadOnlyList<BmffBox> topLevel, IReadOnlyList<BmffExclusion> exclusions)
    {
        var byPath = new Dictionary<string, List<BmffBox>>();
        foreach (BmffBox root in topLevel)
            foreach (BmffBox b in root.SelfAndDescendants())
            {
                if (!byPath.TryGetValue(b.Path, out var list)) byPath[b.Path] = list = [];
                list.Add(b);
            }
        var ranges = new List<(long, long)>();
        var whole = new HashSet<long>();
        foreach (BmffExclusion e in exclusions)
        {
            if (!byPath.TryGetValue(e.Xpath, out var boxes)) continue;
            foreach (BmffBox box in boxes)
            {
                if (!Matches(file, box, e)) continue;
                if (e.Subset is { } subsets)
                {
                    foreach (BmffSubset s in subsets)
                    {
                        // A subset past the box's end would cut into its neighbours; it is clipped to the box.
                        long start = Math.Min(box.Offset + s.Offset, box.End);
                        long end = s.Length == 0 ? box.End : Math.Min(start + s.Length, box.End);
                        if (end > start) ranges.Add((start, end));
                    }
                }
                else
                {
                    ranges.Add((box.Offset, box.End));
                    if (box.Path.LastIndexOf('/') == 0) whole.Add(box.Offset);
                }
            }
        }
        return (Merge(ranges), whole);
    }

    /// <summary>The predicates of an exclusion, as c2pa-rs applies them: absent ones always pass, and version/flags only bind boxes that have them.</summary>
    private static bool Matches(ReadOnlySpan<byte> file, BmffBox box, BmffExclusion e)
    {
        if (e.Length is { } length && length != box.Size) return false;
        if (e.Version is { } version && box.Version is { } boxVersion && version != boxVersion) return false;
        if (e.Flags is { } flagBytes && box.Flags is { } boxFlags)
        {
            uint wanted = flagBytes.Length >= 3 ? (uint)(flagBytes[0] << 16 | flagBytes[1] << 8 | flagBytes[2]) : 0;
            bool exact = e.Exact ?? true;
            if (exact ? wanted != boxFlags : (wanted | boxFlags) != wanted) return false;
        }
        foreach (BmffDataMatch d in e.Data ?? [])
        {
            long at = box.Offset + d.Offset;
            if (at + d.Value.Length > box.End || !file.Slice((int)at, d.Value.Length).SequenceEqual(d.Value)) return false;
        }
        return true;
    }

    /// <summary>
    /// A marker is hashed when its box's first byte is; when that byte is excluded (a subset cut
    /// the head off) it still is, if hashed bytes lie on both sides, as c2pa-rs decides it.
    /// </summary>
    private static bool KeepMarker(long offset, List<(long Start, long End)> included) =>
        included.Count > 0 && (included.Any(r => offset >= r.Start && offset < r.End) || offset > included[0].Start && offset < included[^1].End - 1);

    private static List<(long Start, long End)> Merge(List<(long Start, long End)> ranges)
    {
        ranges.Sort();
        var merged = new List<(long Start, long End)>();
        foreach (var r in ranges)
        {
            if (merged.Count > 0 && r.Start <= merged[^1].End) merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, r.End));
            else merged.Add(r);
        }
        return merged;
    }

    private static List<(long Start, long End)> Complement(List<(long Start, long End)> excluded, long length)
    {
        var included = new List<(long, long)>();
        long pos = 0;
        foreach (var (start, end) in excluded)
        {
            if (start > pos) included.Add((pos, start));
            pos = Math.Max(pos, end);
        }
        if (pos < length) included.Add((pos, length));
        return included;
    }
}
