using System.Buffers.Binary;
using Doppel.Core;
using Doppel.Provenance.Bmff;

namespace Doppel.Provenance.Assets;

/// <summary>
/// Finds the manifest store of an ISO BMFF file (MP4, MOV...): the data of the top-level C2PA
/// <c>uuid</c> box whose purpose is "manifest". Only top-level boxes are read, each bounded by
/// what the file holds; a damaged box structure is a <see cref="DoppelException"/>.
/// </summary>
public static class Mp4ManifestLocator
{
    public const string Container = "MP4 C2PA uuid box";

    public static EmbeddedManifest? Find(ReadOnlySpan<byte> file, string source)
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
            ReadOnlySpan<byte> data = file.Slice((int)found.DataOffset, found.DataLength);
            return new EmbeddedManifest(TrimPadding(data).ToArray(), Container);
        }
        catch (BmffException e)
        {
            throw new DoppelException($"{source}: {e.Message}", "the MP4 file is damaged or cut short");
        }
    }

    /// <summary>Writers may reserve room and pad the box after the store: keep only the first JUMBF box.</summary>
    private static ReadOnlySpan<byte> TrimPadding(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8) return data;
        uint length = BinaryPrimitives.ReadUInt32BigEndian(data);
        return length >= 8 && length < (uint)data.Length ? data[..(int)length] : data;
    }
}
