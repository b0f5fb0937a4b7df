using System.Buffers.Binary;
using System.Text;
using Doppel.Core;

namespace Doppel.Provenance.Assets;

/// <summary>One chunk of a PNG: where it starts (its length field), its type and its data length.</summary>
public readonly record struct PngChunkSpan(int Start, int Length, string Type)
{
    public int DataOffset => Start + 8;

    /// <summary>Just past the chunk's CRC.</summary>
    public int End => Start + 12 + Length;

    public ReadOnlySpan<byte> Data(ReadOnlySpan<byte> file) => file.Slice(DataOffset, Length);
}

/// <summary>
/// The container level of PNG as the C2PA embedder needs it, beside the JPEG and BMFF container
/// code: the 8-byte signature, then chunks of [length (4, big-endian)] [type (4)] [data] [CRC-32
/// of type and data (4)]. It lists, removes and inserts chunks of an existing file without
/// touching its pixels; decoding and encoding pixels is Doppel.Media's, which Provenance does not
/// reference. Every length is checked against the file before it is used.
/// </summary>
public static class PngChunkEditor
{
    public const string ManifestChunk = "caBX";

    private const string Hint = "the file is damaged or cut short";

    public static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    public static bool HasSignature(ReadOnlySpan<byte> file) => file.StartsWith(Signature);

    /// <summary>
    /// The chunks from the first to IEND. <paramref name="strict"/> (signing) also requires IHDR
    /// first, IEND last and every CRC right; otherwise (verifying) the walk stops at IEND or the
    /// end of the file, so a damaged file is reported by the hash check rather than refused.
    /// </summary>
    public static List<PngChunkSpan> Scan(ReadOnlySpan<byte> png, string source, bool strict = false)
    {
        if (!HasSignature(png)) throw new DoppelException($"{source} is not a PNG file", "the PNG signature is missing");
        var chunks = new List<PngChunkSpan>();
        int pos = Signature.Length;
        while (pos < png.Length)
        {
            if (png.Length - pos < 12) throw new DoppelException($"{source}: truncated PNG chunk at byte {pos}", Hint);
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png[pos..]);
            if (length > (uint)(png.Length - pos - 12)) throw new DoppelException($"{source}: PNG chunk at byte {pos} claims {length} bytes, more than the file has", Hint);
            var chunk = new PngChunkSpan(pos, (int)length, Encoding.Latin1.GetString(png.Slice(pos + 4, 4)));
            if (strict) CheckStrictly(png, chunk, chunks.Count == 0, source);
            chunks.Add(chunk);
            pos = chunk.End;
            if (chunk.Type == "IEND") return chunks;
        }
        if (strict) throw new DoppelException($"{source}: PNG is truncated (no IEND chunk)", Hint);
        return chunks;
    }

    /// <summary>A copy of <paramref name="png"/> without any chunk of <paramref name="type"/> (checked strictly first).</summary>
    public static byte[] Remove(ReadOnlySpan<byte> png, string type, string source)
    {
        if (IsCritical(type)) throw new DoppelException($"cannot remove the {type} chunk", "only ancillary chunks can be removed");
        List<PngChunkSpan> chunks = Scan(png, source, strict: true);
        using var output = new MemoryStream(png.Length);
        output.Write(png[..Signature.Length]);
        foreach (PngChunkSpan c in chunks)
            if (c.Type != type) output.Write(png[c.Start..c.End]);
        return output.ToArray();
    }

    /// <summary>A copy of <paramref name="png"/> with a chunk of <paramref name="type"/> holding <paramref name="data"/> added at <paramref name="placement"/>.</summary>
    public static byte[] Insert(ReadOnlySpan<byte> png, string type, ReadOnlySpan<byte> data, PngChunkPlacement placement, string source)
    {
        if (type.Length != 4 || !type.All(char.IsAsciiLetter)) throw new DoppelException($"invalid PNG chunk type '{type}'", "a chunk type is exactly four ASCII letters");
        if (IsCritical(type)) throw new DoppelException($"cannot insert a {type} chunk", "only ancillary chunks can be added to an existing PNG");
        List<PngChunkSpan> chunks = Scan(png, source, strict: true);
        int at = placement == PngChunkPlacement.AfterHeader ? chunks[0].End : chunks[^1].Start;
        using var output = new MemoryStream(png.Length + 12 + data.Length);
        output.Write(png[..at]);
        WriteChunk(output, type, data);
        output.Write(png[at..chunks[^1].End]);
        return output.ToArray();
    }

    // An uppercase first letter marks a critical chunk (IHDR, PLTE, IDAT, IEND): the image itself.
    private static bool IsCritical(string type) => type.Length == 4 && char.IsAsciiLetterUpper(type[0]);

    private static void CheckStrictly(ReadOnlySpan<byte> png, PngChunkSpan chunk, bool first, string source)
    {
        foreach (char c in chunk.Type)
            if (!char.IsAsciiLetter(c)) throw new DoppelException($"{source}: corrupt PNG chunk type at byte {chunk.Start}", Hint);
        if (first && chunk.Type != "IHDR") throw new DoppelException($"{source}: PNG does not start with an IHDR chunk", Hint);
        uint stored = BinaryPrimitives.ReadUInt32BigEndian(png[(chunk.DataOffset + chunk.Length)..]);
        if (stored != Crc32.Compute(png.Slice(chunk.Start + 4, 4 + chunk.Length)))
            throw new DoppelException($"{source}: CRC mismatch in PNG chunk {chunk.Type} at byte {chunk.Start} (file is corrupt)", Hint);
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, head[4..]);
        uint crc = Crc32.Finish(Crc32.Update(Crc32.Update(Crc32.Start, head[4..]), data));
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        stream.Write(head);
        stream.Write(data);
        stream.Write(tail);
    }
}
