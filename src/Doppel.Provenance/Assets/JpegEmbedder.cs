using System.Buffers.Binary;
using Doppel.Core;
using Doppel.Provenance.Manifest;

namespace Doppel.Provenance.Assets;

/// <summary>
/// JPEG: the manifest store is split into APP11 segments of at most 65535 bytes (the length
/// field's limit), each with the JPEG XT header ("JP", box instance En, sequence Z from 1) and,
/// from the second on, the store's LBox/TBox repeated. They go right after SOI and the APP0
/// (JFIF) / APP1 (Exif, XMP) segments that directly follow it, so readers that expect those
/// first still find them. The data hash excludes the run of C2PA segments.
/// </summary>
public sealed class JpegEmbedder : IAssetEmbedder
{
    /// <summary>Store bytes per segment: 65535 minus the length field (2), the XT header (8) and the repeated LBox/TBox (8).</summary>
    public const int ChunkSize = 65535 - 2 - JpegSegments.XtHeader - 8;

    public string Name => "JPEG";

    public string? MediaType => "image/jpeg";

    public bool Recognises(ReadOnlySpan<byte> file) => JpegSegments.HasSoi(file);

    public EmbeddedManifest? FindStore(ReadOnlySpan<byte> file, string source) =>
        JpegSegments.ReadStore(file, source) is { } store ? new EmbeddedManifest(store, "JPEG APP11 segments") : null;

    /// <summary>Bytes the segments take in the file for a store of <paramref name="storeLength"/> bytes.</summary>
    public static long WrappedLength(int storeLength)
    {
        long packets = Math.Max(1, (storeLength + (long)ChunkSize - 1) / ChunkSize);
        return storeLength + packets * (2 + 2 + JpegSegments.XtHeader) + (packets - 1) * 8;
    }

    public IEmbedding Prepare(byte[] asset, string source)
    {
        var segments = JpegSegments.Header(asset, source);
        if (segments[^1].Marker != JpegSegment.Sos) throw new DoppelException($"{source}: the JPEG has no image data (no start-of-scan)", "the file is damaged or cut short");
        var drop = JpegSegments.C2paSegments(asset, segments, source).ToHashSet();

        // En must differ from any other JUMBF box's in the file, so its packets are not mistaken for ours.
        var usedEn = new HashSet<ushort>();
        for (int i = 0; i < segments.Count; i++)
        {
            ReadOnlySpan<byte> c = segments[i].Contents(asset);
            if (!drop.Contains(i) && segments[i].Marker == JpegSegment.App11 && c.Length >= 4 && c[0] == (byte)'J' && c[1] == (byte)'P')
                usedEn.Add(BinaryPrimitives.ReadUInt16BigEndian(c[2..]));
        }
        ushort en = 0x0211;
        while (usedEn.Contains(en)) en++;

        var clean = new MemoryStream(asset.Length);
        clean.Write(asset, 0, 2);
        int insertAt = 2;
        bool leading = true;
        for (int i = 0; i < segments.Count; i++)
        {
            if (drop.Contains(i)) continue;
            JpegSegment s = segments[i];
            leading &= s.Marker is JpegSegment.App0 or JpegSegment.App1;
            clean.Write(asset, s.Start, s.Size);
            if (leading) insertAt = (int)clean.Length;
        }
        int rest = segments[^1].End;
        clean.Write(asset, rest, asset.Length - rest); // entropy-coded data, EOI and anything after
        return new Embedding(clean.ToArray(), insertAt, en);
    }

    private sealed class Embedding(byte[] jpg, int insertAt, ushort en) : IEmbedding
    {
        private readonly byte[] hash = DataHash.Sha256(jpg);

        public string Format => "image/jpeg";

        public Assertion HardBinding(int storeLength) => DataHash.Excluding(insertAt, WrappedLength(storeLength), hash);

        public SignedAsset Embed(byte[] store)
        {
            var output = new MemoryStream((int)(jpg.Length + WrappedLength(store.Length)));
            output.Write(jpg, 0, insertAt);
            Span<byte> head = stackalloc byte[4 + JpegSegments.XtHeader];
            uint z = 1;
            for (int offset = 0; offset < store.Length || z == 1; offset += ChunkSize, z++)
            {
                int chunk = Math.Min(ChunkSize, store.Length - offset);
                int repeat = z == 1 ? 0 : 8;
                head[0] = 0xFF;
                head[1] = JpegSegment.App11;
                BinaryPrimitives.WriteUInt16BigEndian(head[2..], (ushort)(2 + JpegSegments.XtHeader + repeat + chunk));
                head[4] = (byte)'J';
                head[5] = (byte)'P';
                BinaryPrimitives.WriteUInt16BigEndian(head[6..], en);
                BinaryPrimitives.WriteUInt32BigEndian(head[8..], z);
                output.Write(head);
                if (repeat > 0) output.Write(store, 0, 8);
                output.Write(store, offset, chunk);
            }
            output.Write(jpg, insertAt, jpg.Length - insertAt);
            return new SignedAsset(output.ToArray(), null);
        }
    }
}
