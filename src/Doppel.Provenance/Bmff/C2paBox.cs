using System.Buffers.Binary;
using System.Text;

namespace Doppel.Provenance.Bmff;

/// <summary>What a C2PA <c>uuid</c> box holds: its purpose and where its data lies in the file.</summary>
public sealed record C2paBoxContent(string Purpose, long DataOffset, int DataLength);

/// <summary>
/// The C2PA ContentProvenanceBox of ISO BMFF files: a top-level <c>uuid</c> box with extended
/// type d8fec3d6-1b0e-483c-9297-5828877ec481, version 0 and flags 0, a NUL-terminated purpose
/// ("manifest" for the manifest store), for a manifest an 8-byte offset to the first Merkle
/// box (0: none), then the data: the JUMBF manifest store.
/// </summary>
public static class C2paBox
{
    public const string ManifestPurpose = "manifest";

    /// <summary>Bytes of a manifest box before its store: header, uuid, version/flags, "manifest\0", Merkle offset.</summary>
    public const int ManifestHeaderLength = 8 + 16 + 4 + 9 + 8;

    /// <summary>The box's extended type, as bytes.</summary>
    public static ReadOnlySpan<byte> Uuid => [0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81];

    public static bool IsC2pa(BmffBox box) => box.Type == "uuid" && box.UserType is { } u && u.AsSpan().SequenceEqual(Uuid);

    /// <summary>Reads a C2PA box's purpose and locates its data; the box must lie within <paramref name="file"/>.</summary>
    public static C2paBoxContent Read(ReadOnlySpan<byte> file, BmffBox box)
    {
        if (!IsC2pa(box)) throw new BmffException($"the box at byte {box.Offset} is not a C2PA uuid box");
        ReadOnlySpan<byte> content = file[(int)box.ContentOffset..(int)box.End];
        if (content.Length < 5) throw new BmffException($"the C2PA box at byte {box.Offset} is too short");
        // content[0..4]: version and flags (both 0 today; later versions may add fields, so not rejected).
        int nul = content[4..].IndexOf((byte)0);
        if (nul < 0) throw new BmffException($"the C2PA box at byte {box.Offset} has an unterminated purpose");
        string purpose = Encoding.UTF8.GetString(content.Slice(4, nul));
        int data = 4 + nul + 1;
        if (purpose == ManifestPurpose)
        {
            if (content.Length - data < 8) throw new BmffException($"the C2PA manifest box at byte {box.Offset} ends inside its Merkle offset");
            data += 8;
        }
        return new C2paBoxContent(purpose, box.ContentOffset + data, content.Length - data);
    }

    /// <summary>A complete C2PA manifest box holding <paramref name="jumbf"/> (no Merkle boxes follow).</summary>
    public static byte[] BuildManifestBox(ReadOnlySpan<byte> jumbf)
    {
        int length = ManifestHeaderLength + jumbf.Length;
        var box = new byte[length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)length);
        "uuid"u8.CopyTo(box.AsSpan(4));
        Uuid.CopyTo(box.AsSpan(8));
        // version 0, flags 0 at 24..28 (already zero)
        Encoding.ASCII.GetBytes(ManifestPurpose, box.AsSpan(28));
        // NUL terminator and the 8-byte zero Merkle offset are already zero
        jumbf.CopyTo(box.AsSpan(length - jumbf.Length));
        return box;
    }
}
