using System.Buffers.Binary;
using Doppel.Core;
using Doppel.Media.Png;
using Doppel.Provenance.Manifest;

namespace Doppel.Provenance.Assets;

/// <summary>
/// PNG: the manifest store is the data of a <c>caBX</c> chunk, placed right after IHDR as
/// c2pa-rs puts it (through Doppel.Media's chunk editor). The data hash excludes the whole
/// chunk (length, type, data and CRC).
/// </summary>
public sealed class PngEmbedder : IAssetEmbedder
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public string Name => "PNG";

    public string? MediaType => "image/png";

    public bool Recognises(ReadOnlySpan<byte> file) => file.StartsWith(Signature);

    /// <summary>PNG chunks as (start, data length, type); the walk stops at IEND. Lengths are checked against the file.</summary>
    public static List<(int Start, int Length, string Type)> Chunks(ReadOnlySpan<byte> png, string source)
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

    public EmbeddedManifest? FindStore(ReadOnlySpan<byte> file, string source)
    {
        foreach (var (start, length, type) in Chunks(file, source))
            if (type == "caBX") return new EmbeddedManifest(file.Slice(start + 8, length).ToArray(), "PNG caBX chunk");
        return null;
    }

    public IEmbedding Prepare(byte[] asset, string source)
    {
        if (!Recognises(asset)) throw new DoppelException($"{source} is not a PNG file", "the PNG signature is missing");
        // Signing checks every chunk and CRC (verifying does not: a damaged file is reported, not refused).
        IReadOnlyList<PngChunk> chunks = PngChunks.ReadAll(asset, source);
        byte[] clean = PngChunks.Remove(asset, "caBX"); // an earlier manifest
        return new Embedding(clean, 8 + 12 + chunks[0].Data.Length);
    }

    private sealed class Embedding(byte[] png, int afterHeader) : IEmbedding
    {
        private readonly byte[] hash = DataHash.Sha256(png);

        public string Format => "image/png";

        public Assertion HardBinding(int storeLength) => DataHash.Excluding(afterHeader, storeLength + 12L, hash);

        public SignedAsset Embed(byte[] store) => new(PngChunks.Insert(png, new PngChunk("caBX", store), PngChunkPlacement.AfterHeader), null);
    }
}
