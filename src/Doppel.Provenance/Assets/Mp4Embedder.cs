using System.Buffers.Binary;
using System.Text;
using Doppel.Core;
using Doppel.Provenance.Bmff;
using Doppel.Provenance.Manifest;

namespace Doppel.Provenance.Assets;

/// <summary>
/// MP4/MOV (ISO BMFF): the manifest store is the data of the top-level C2PA <c>uuid</c> box
/// (purpose "manifest"), placed right after <c>ftyp</c> with the chunk offsets of <c>moov</c>
/// moved to match (<see cref="Mp4ManifestInsertion"/>); the hard binding is
/// <c>c2pa.hash.bmff.v2</c>, as c2pa-rs writes it. Reading walks only the top-level boxes, each
/// bounded by what the file holds.
/// </summary>
public sealed class Mp4Embedder : IAssetEmbedder
{
    public const string Container = "MP4 C2PA uuid box";

    public string Name => "MP4";

    public string? MediaType => "video/mp4";

    public bool Recognises(ReadOnlySpan<byte> file) => BmffReader.LooksLikeBmff(file);

    public EmbeddedManifest? FindStore(ReadOnlySpan<byte> file, string source)
    {
        try
        {
            C2paBoxContent? found = null;
            foreach (BmffBox box in BmffReader.ReadTopLevel(file))
            {
                if (!C2paBox.IsC2pa(box)) continue;
                C2paBoxContent content = C2paBox.Read(file, box);
                if (content.Purpose != C2paBox.ManifestPurpose) continue; // "merkle" boxes carry fragment hashes
                if (found is not null)
                    throw new DoppelException($"{source}: holds two C2PA manifest boxes (at bytes {found.DataOffset} and {content.DataOffset})", "C2PA allows one; the file was assembled wrongly");
                found = content;
            }
            if (found is null) return null;
            return new EmbeddedManifest(TrimPadding(file.Slice((int)found.DataOffset, found.DataLength)).ToArray(), Container);
        }
        catch (BmffException e)
        {
            throw new DoppelException($"{source}: {e.Message}", "the MP4 file is damaged or cut short");
        }
    }

    public IEmbedding Prepare(byte[] asset, string source) => new Embedding(Mp4ManifestInsertion.Prepare(asset, source), FormatOf(asset));

    /// <summary>The MIME type from the ftyp major brand: QuickTime and MPEG-4 audio are told apart from video/mp4.</summary>
    private static string FormatOf(ReadOnlySpan<byte> file) => file.Length < 12 ? "video/mp4" : Encoding.Latin1.GetString(file.Slice(8, 4)) switch
    {
        "qt  " => "video/quicktime",
        "M4A " or "M4B " => "audio/mp4",
        _ => "video/mp4",
    };

    /// <summary>Writers may reserve room and pad the box after the store: keep only the first JUMBF box.</summary>
    private static ReadOnlySpan<byte> TrimPadding(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8) return data;
        uint length = BinaryPrimitives.ReadUInt32BigEndian(data);
        return length >= 8 && length < (uint)data.Length ? data[..(int)length] : data;
    }

    private sealed class Embedding(Mp4ManifestInsertion insertion, string format) : IEmbedding
    {
        public string Format => format;

        public Assertion HardBinding(int storeLength) =>
            Assertion.Cbor(BmffHashAssertion.LabelFor(BmffHashAssertion.WriteVersion), insertion.HardBinding(storeLength).ToCbor());

        public SignedAsset Embed(byte[] store) => new(insertion.Embed(store), null);
    }
}
