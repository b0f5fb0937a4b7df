namespace Doppel.Provenance.Bmff;

/// <summary>
/// One ISO BMFF box (ISO/IEC 14496-12): where it lies in the file, its type, and for the
/// container types <see cref="BmffReader"/> descends into, its children. <see cref="Path"/> is
/// the C2PA xpath of the box ("/moov/trak/mdia/minf/stbl/stco"), which is how c2pa.hash.bmff
/// exclusions name boxes.
/// </summary>
public sealed class BmffBox
{
    public required string Type { get; init; }
    public required string Path { get; init; }
    /// <summary>Byte offset of the box's first header byte in the file.</summary>
    public required long Offset { get; init; }
    /// <summary>Whole box length, header included (a size-0 box is resolved to its real extent).</summary>
    public required long Size { get; init; }
    /// <summary>8, or 16 with a 64-bit largesize; the 16-byte uuid usertype is not counted.</summary>
    public required int HeaderSize { get; init; }
    /// <summary>The 16-byte extended type of a <c>uuid</c> box.</summary>
    public byte[]? UserType { get; init; }
    /// <summary>Version and flags of a full box (and of every uuid box, as c2pa-rs reads them).</summary>
    public byte? Version { get; init; }
    public uint? Flags { get; init; }
    public IReadOnlyList<BmffBox> Children { get; init; } = [];

    public long End => Offset + Size;

    /// <summary>Where the box's content starts: after the header and the uuid usertype.</summary>
    public long ContentOffset => Offset + HeaderSize + (UserType is null ? 0 : 16);

    /// <summary>This box and every box nested in it, in file order.</summary>
    public IEnumerable<BmffBox> SelfAndDescendants()
    {
        yield return this;
        foreach (BmffBox child in Children)
            foreach (BmffBox b in child.SelfAndDescendants()) yield return b;
    }

    public override string ToString() => $"{Path} @{Offset} ({Size} bytes)";
}
