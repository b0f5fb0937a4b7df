using System.Buffers.Binary;
using System.Text;
using Doppel.Core;

namespace Doppel.Media.Png;

/// <summary>Where one chunk sits inside a PNG file; offsets are from the start of the file.</summary>
internal readonly record struct PngChunkLocation(string Type, int Start, int DataOffset, int DataLength)
{
    /// <summary>Offset just past the chunk's CRC.</summary>
    public int End => DataOffset + DataLength + 4;
}

/// <summary>
/// The container level of PNG: the 8-byte signature, then chunks of
/// [length (4, big-endian)] [type (4)] [data (length)] [CRC-32 of type and data (4)].
/// Scanning verifies every CRC, so a flipped bit anywhere is reported instead of decoded.
/// </summary>
internal static class PngChunkLayout
{
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool HasSignature(ReadOnlySpan<byte> file) => file.Length >= 8 && file[..8].SequenceEqual(Signature);

    /// <summary>Lists the chunks up to and including IEND, checking structure and CRCs.</summary>
    public static List<PngChunkLocation> Scan(ReadOnlySpan<byte> file, string source)
    {
        if (!HasSignature(file))
            throw new DoppelException($"{source} is not a PNG file (signature missing)", PngErrors.Hint);
        var chunks = new List<PngChunkLocation>();
        int pos = 8;
        while (true)
        {
            if (pos + 12 > file.Length)
                throw new DoppelException($"{source}: PNG is truncated (no IEND chunk)", PngErrors.Hint);
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file[pos..]);
            if (length > int.MaxValue || pos + 12 + (long)length > file.Length)
                throw new DoppelException($"{source}: PNG is truncated (chunk at byte {pos} claims {length} bytes)", PngErrors.Hint);
            ReadOnlySpan<byte> typeBytes = file.Slice(pos + 4, 4);
            foreach (byte b in typeBytes)
                if (!char.IsAsciiLetter((char)b))
                    throw new DoppelException($"{source}: corrupt PNG chunk type at byte {pos}", PngErrors.Hint);
            string type = Encoding.ASCII.GetString(typeBytes);
            int dataLength = (int)length;
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(file[(pos + 8 + dataLength)..]);
            uint actual = Crc32.Compute(file.Slice(pos + 4, 4 + dataLength));
            if (stored != actual)
                throw new DoppelException($"{source}: CRC mismatch in PNG chunk {type} at byte {pos} (file is corrupt)", PngErrors.Hint);
            var chunk = new PngChunkLocation(type, pos, pos + 8, dataLength);
            if (chunks.Count == 0 && type != "IHDR")
                throw new DoppelException($"{source}: PNG does not start with an IHDR chunk", PngErrors.Hint);
            chunks.Add(chunk);
            pos = chunk.End;
            if (type == "IEND") return chunks;
        }
    }

    public static void WriteSignature(Stream stream) => stream.Write(Signature);

    public static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, head[4..]);
        uint crc = Crc32.Update(Crc32.Start, head[4..]);
        crc = Crc32.Finish(Crc32.Update(crc, data));
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        stream.Write(head);
        stream.Write(data);
        stream.Write(tail);
    }
}
