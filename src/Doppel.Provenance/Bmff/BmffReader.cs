using System.Buffers.Binary;
using System.Text;

namespace Doppel.Provenance.Bmff;

/// <summary>
/// Reads the box tree of an ISO BMFF file (MP4, MOV, M4A, HEIF...). Every box length is checked
/// against the bytes its parent has left before it is used, so a hostile length is an error,
/// never an allocation; nesting is limited. Descends into the same container boxes as c2pa-rs,
/// so the xpaths of the boxes match the ones c2pa.hash.bmff exclusions name.
/// </summary>
public static class BmffReader
{
    public const int MaxDepth = 16;

    /// <summary>Containers whose children are boxes. <c>meta</c> is a full box: version and flags come first.</summary>
    private static readonly HashSet<string> Containers =
        ["moov", "trak", "mdia", "minf", "stbl", "moof", "traf", "edts", "udta", "dinf", "tref", "trgr", "mvex", "mfra", "meta", "schi"];

    /// <summary>Full boxes (ISO/IEC 14496-12): a version byte and 24 flag bits follow the header.</summary>
    private static readonly HashSet<string> FullBoxes =
    [
        "pdin", "mvhd", "tkhd", "mdhd", "hdlr", "nmhd", "elng", "stsd", "stdp", "stts", "ctts", "cslg",
        "stss", "stsh", "elst", "dref", "stsz", "stz2", "stsc", "stco", "co64", "padb", "subs",
        "saiz", "saio", "mehd", "trex", "mfhd", "tfhd", "trun", "tfra", "mfro", "tfdt", "leva", "trep",
        "assp", "sbgp", "sgpd", "csgp", "cprt", "tsel", "kind", "meta", "xml ", "bxml", "iloc", "pitm",
        "ipro", "infe", "iinf", "iref", "ipma", "schm", "fiin", "fpar", "fecr", "gitn", "fire", "stri",
        "stsg", "stvi", "csch", "sidx", "ssix", "prft", "srpp", "vmhd", "smhd", "srat", "chnl", "dmix",
        "txtC", "mime", "uri ", "uriI", "hmhd", "sthd", "vvhd", "medc",
    ];

    /// <summary>True when the file opens with an <c>ftyp</c> box, as every MP4/MOV/HEIF written today does.</summary>
    public static bool LooksLikeBmff(ReadOnlySpan<byte> file) =>
        file.Length >= 8 && file.Slice(4, 4).SequenceEqual("ftyp"u8) && BinaryPrimitives.ReadUInt32BigEndian(file) is >= 8 or 1;

    /// <summary>The top-level boxes of <paramref name="file"/>, containers with their children.</summary>
    public static List<BmffBox> ReadTree(ReadOnlySpan<byte> file) => ReadBoxes(file, 0, file.Length, "", 0, descend: true);

    /// <summary>The top-level boxes only, without descending (enough to find the C2PA box).</summary>
    public static List<BmffBox> ReadTopLevel(ReadOnlySpan<byte> file) => ReadBoxes(file, 0, file.Length, "", 0, descend: false);

    private static List<BmffBox> ReadBoxes(ReadOnlySpan<byte> file, long start, long end, string parentPath, int depth, bool descend)
    {
        var boxes = new List<BmffBox>();
        long pos = start;
        bool topLevel = parentPath.Length == 0;
        while (pos < end)
        {
            long remaining = end - pos;
            if (remaining < 8)
            {
                // Old QuickTime writers end some containers (udta) with a 32-bit zero terminator.
                if (!topLevel && file.Slice((int)pos, (int)remaining).IndexOfAnyExcept((byte)0) < 0) break;
                throw new BmffException($"truncated box header at byte {pos}{In(parentPath)}");
            }
            ulong size = BinaryPrimitives.ReadUInt32BigEndian(file[(int)pos..]);
            string type = Encoding.Latin1.GetString(file.Slice((int)pos + 4, 4));
            int header = 8;
            if (size == 1)
            {
                if (remaining < 16) throw new BmffException($"box '{Printable(type)}' at byte {pos}{In(parentPath)} ends inside its 64-bit size");
                size = BinaryPrimitives.ReadUInt64BigEndian(file[((int)pos + 8)..]);
                header = 16;
            }
            else if (size == 0) size = (ulong)remaining; // "extends to the end of the file" (or of its container)
            if (size < (ulong)header) throw new BmffException($"box '{Printable(type)}' at byte {pos}{In(parentPath)} has size {size}, smaller than its header");
            if (size > (ulong)remaining) throw new BmffException($"box '{Printable(type)}' at byte {pos}{In(parentPath)} claims {size} bytes, only {remaining} remain");

            long boxEnd = pos + (long)size;
            long content = pos + header;
            byte[]? userType = null;
            if (type == "uuid")
            {
                if (boxEnd - content < 16) throw new BmffException($"uuid box at byte {pos} is too short for its 16-byte type");
                userType = file.Slice((int)content, 16).ToArray();
                content += 16;
            }
            byte? version = null;
            uint? flags = null;
            if ((FullBoxes.Contains(type) || userType is not null) && boxEnd - content >= 4)
            {
                version = file[(int)content];
                flags = BinaryPrimitives.ReadUInt32BigEndian(file[(int)content..]) & 0xFFFFFF;
            }
            string path = parentPath + "/" + type;
            IReadOnlyList<BmffBox> children = [];
            if (descend && Containers.Contains(type))
            {
                if (depth >= MaxDepth) throw new BmffException($"boxes nested more than {MaxDepth} deep at byte {pos}");
                long childStart = type == "meta" ? content + 4 : content;
                if (childStart > boxEnd) throw new BmffException($"meta box at byte {pos} is too short for its version and flags");
                children = ReadBoxes(file, childStart, boxEnd, path, depth + 1, descend);
            }
            boxes.Add(new BmffBox
            {
                Type = type, Path = path, Offset = pos, Size = (long)size, HeaderSize = header,
                UserType = userType, Version = version, Flags = flags, Children = children,
            });
            pos = boxEnd;
        }
        return boxes;
    }

    private static string In(string parentPath) => parentPath.Length == 0 ? "" : $" in {parentPath}";

    private static string Printable(string type) =>
        type.All(c => c is >= ' ' and <= '~' or '\u00a9') ? type : Convert.ToHexString(Encoding.Latin1.GetBytes(type));
}
