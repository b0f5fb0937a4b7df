namespace Doppel.Provenance.Bmff;

/// <summary>Bytes a box must hold at <see cref="Offset"/> (from the box start) for an exclusion to apply.</summary>
public sealed record BmffDataMatch(long Offset, byte[] Value);

/// <summary>A part of a matched box to exclude: <see cref="Length"/> 0 means "to the end of the box".</summary>
public sealed record BmffSubset(long Offset, long Length);

/// <summary>
/// One entry of a c2pa.hash.bmff exclusion list: the boxes at <see cref="Xpath"/> that also pass
/// every given predicate (exact size, version, flags, data at an offset) are left out of the
/// hash, whole or only the listed subsets.
/// </summary>
public sealed record BmffExclusion(string Xpath)
{
    public long? Length { get; init; }
    public IReadOnlyList<BmffDataMatch>? Data { get; init; }
    public IReadOnlyList<BmffSubset>? Subset { get; init; }
    public int? Version { get; init; }
    /// <summary>Three bytes of box flags; compared exactly, or as a mask when <see cref="Exact"/> is false.</summary>
    public byte[]? Flags { get; init; }
    public bool? Exact { get; init; }

    /// <summary>
    /// The exclusions c2pa-rs writes for MP4 (and Doppel with it): the C2PA box itself, ftyp,
    /// the absolute offsets that inserting the C2PA box may shift (chunk offsets of stco/co64,
    /// item locations of iloc, fragment offsets of tfra, tfhd and trun).
    /// </summary>
    public static IReadOnlyList<BmffExclusion> Standard { get; } =
    [
        new("/uuid") { Data = [new BmffDataMatch(8, C2paBox.Uuid.ToArray())] },
        new("/ftyp"),
        new("/meta/iloc"),
        new("/mfra/tfra"),
        new("/moov/trak/mdia/minf/stbl/stco") { Subset = [new BmffSubset(16, 0)] },
        new("/moov/trak/mdia/minf/stbl/co64") { Subset = [new BmffSubset(16, 0)] },
        new("/moof/traf/tfhd") { Subset = [new BmffSubset(16, 8)], Flags = [1, 0, 0] },
        new("/moof/traf/trun") { Subset = [new BmffSubset(16, 4)], Flags = [1, 0, 0] },
    ];
}
