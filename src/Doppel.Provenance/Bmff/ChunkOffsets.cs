using System.Buffers.Binary;

namespace Doppel.Provenance.Bmff;

/// <summary>
/// The chunk offset tables of a movie (<c>stco</c>, 32-bit, and <c>co64</c>, 64-bit, in every
/// track's sample table): absolute file positions of the media data, so moving <c>mdat</c>
/// means rewriting them. Entry counts are checked against the box before any entry is read.
/// </summary>
public static class ChunkOffsets
{
    /// <summary>Every chunk offset of the movie, in table order.</summary>
    public static List<long> Read(ReadOnlySpan<byte> file, BmffBox moov)
    {
        var offsets = new List<long>();
        foreach (var (at, wide) in Entries(file, moov))
            offsets.Add(ReadEntry(file, at, wide));
        return offsets;
    }

    /// <summary>
    /// Rewrites every chunk offset in <paramref name="file"/>'s <c>moov</c> through
    /// <paramref name="map"/> (old position to new), in place. <paramref name="moov"/> was read
    /// from the same bytes. Throws <see cref="BmffException"/> for a damaged table or an offset
    /// that no longer fits 32 bits.
    /// </summary>
    public static void Rewrite(Span<byte> file, BmffBox moov, Func<long, long> map)
    {
        foreach (var (at, wide) in Entries(file, moov))
        {
            long moved = map(ReadEntry(file, at, wide));
            if (wide) BinaryPrimitives.WriteUInt64BigEndian(file[(int)at..], (ulong)moved);
            else if (moved is < 0 or > uint.MaxValue) throw new BmffException($"a chunk offset would move to {moved}, beyond what the 32-bit stco table can hold");
            else BinaryPrimitives.WriteUInt32BigEndian(file[(int)at..], (uint)moved);
        }
    }

    private static long ReadEntry(ReadOnlySpan<byte> file, long at, bool wide)
    {
        if (!wide) return BinaryPrimitives.ReadUInt32BigEndian(file[(int)at..]);
        ulong value = BinaryPrimitives.ReadUInt64BigEndian(file[(int)at..]);
        return value <= long.MaxValue ? (long)value : throw new BmffException($"the co64 entry at byte {at} is beyond any file ({value})");
    }

    /// <summary>Where each entry lies and whether it is 64-bit; every table is bounds-checked first.</summary>
    private static List<(long At, bool Wide)> Entries(ReadOnlySpan<byte> file, BmffBox moov)
    {
        var entries = new List<(long, bool)>();
        foreach (BmffBox table in moov.SelfAndDescendants())
        {
            bool wide = table.Type == "co64";
            if (!wide && table.Type != "stco") continue;
            int entrySize = wide ? 8 : 4;
            long first = table.ContentOffset + 8; // after version/flags and the entry count
            if (first > table.End) throw new BmffException($"{table.Type} box at byte {table.Offset} is too short for its entry count");
            uint count = BinaryPrimitives.ReadUInt32BigEndian(file[(int)(table.ContentOffset + 4)..]);
            long room = (table.End - first) / entrySize;
            if (count > room) throw new BmffException($"{table.Type} box at byte {table.Offset} claims {count} entries, it has room for {room}");
            for (long i = 0; i < count; i++) entries.Add((first + i * entrySize, wide));
        }
        return entries;
    }
}
