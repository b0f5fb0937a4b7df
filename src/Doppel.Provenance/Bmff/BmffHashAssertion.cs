using Doppel.Provenance.Cbor;

namespace Doppel.Provenance.Bmff;

/// <summary>
/// The content of a <c>c2pa.hash.bmff</c> assertion (C2PA 18.6). The label's version decides how
/// the hash is computed: v1 hashes the file minus the exclusions; v2 and v3 also hash the 8-byte
/// offset of every top-level box that is not wholly excluded, so moving boxes breaks the hash.
/// A Merkle tree (<c>merkle</c>, for fragmented or very long media) is recognised, not checked.
/// </summary>
public sealed class BmffHashAssertion
{
    public const string Label = "c2pa.hash.bmff";
    /// <summary>The version Doppel writes, as c2pa-rs does.</summary>
    public const int WriteVersion = 2;

    public required IReadOnlyList<BmffExclusion> Exclusions { get; init; }
    public string? Alg { get; init; }
    public byte[]? Hash { get; init; }
    public bool HasMerkle { get; init; }
    public string? Name { get; init; }

    /// <summary>1, 2 or 3 from "c2pa.hash.bmff", "c2pa.hash.bmff.v2", "c2pa.hash.bmff.v3"; null for another label.</summary>
    public static int? VersionOf(string label) => label switch
    {
        Label => 1,
        Label + ".v2" => 2,
        Label + ".v3" => 3,
        _ => null,
    };

    public static string LabelFor(int version) => version == 1 ? Label : $"{Label}.v{version}";

    /// <summary>Reads the assertion's CBOR map; a field of the wrong type is a <see cref="FormatException"/>.</summary>
    public static BmffHashAssertion FromCbor(CborMap map)
    {
        var exclusions = new List<BmffExclusion>();
        foreach (object? item in ArrayOf(map, "exclusions") ?? [])
        {
            if (item is not CborMap e) throw new FormatException("an exclusion is not a map");
            string xpath = e["xpath"] as string ?? throw new FormatException("an exclusion has no xpath");
            exclusions.Add(new BmffExclusion(xpath)
            {
                Length = UInt32(e, "length"),
                Version = UInt32(e, "version") is { } v ? (v <= 255 ? (int)v : throw new FormatException("exclusion version is above 255")) : null,
                Flags = e["flags"] switch { null => null, byte[] f => f, _ => throw new FormatException("exclusion flags are not bytes") },
                Exact = e["exact"] switch { null => null, bool x => x, _ => throw new FormatException("exclusion 'exact' is not a boolean") },
                Data = ArrayOf(e, "data")?.Select(d => d is CborMap m && UInt32(m, "offset") is { } o && m["value"] is byte[] val
                    ? new BmffDataMatch(o, val) : throw new FormatException("a data entry needs an offset and a byte value")).ToList(),
                Subset = ArrayOf(e, "subset")?.Select(s => s is CborMap m && UInt32(m, "offset") is { } o && UInt32(m, "length") is { } l
                    ? new BmffSubset(o, l) : throw new FormatException("a subset needs an offset and a length")).ToList(),
            });
        }
        return new BmffHashAssertion
        {
            Exclusions = exclusions,
            Alg = map["alg"] switch { null => null, string a => a, _ => throw new FormatException("alg is not a string") },
            Hash = map["hash"] switch { null => null, byte[] h => h, _ => throw new FormatException("hash is not a byte string") },
            HasMerkle = map["merkle"] is not null,
            Name = map["name"] as string,
        };
    }

    /// <summary>The CBOR map, every exclusion field written (null when unused) as c2pa-rs writes it.</summary>
    public CborMap ToCbor()
    {
        var exclusions = Exclusions.Select(e => (object?)new CborMap()
            .Add("xpath", e.Xpath)
            .Add("length", e.Length)
            .Add("data", e.Data?.Select(d => (object?)new CborMap().Add("offset", d.Offset).Add("value", d.Value)).ToList())
            .Add("subset", e.Subset?.Select(s => (object?)new CborMap().Add("offset", s.Offset).Add("length", s.Length)).ToList())
            .Add("version", e.Version is { } v ? (long)v : null)
            .Add("flags", e.Flags)
            .Add("exact", e.Exact)).ToList();
        var map = new CborMap().Add("exclusions", exclusions);
        if (Alg is not null) map.Add("alg", Alg);
        if (Hash is not null) map.Add("hash", Hash);
        if (Name is not null) map.Add("name", Name);
        return map;
    }

    private static List<object?>? ArrayOf(CborMap map, string key) => map[key] switch
    {
        null => null,
        List<object?> list => list,
        _ => throw new FormatException($"{key} is not an array"),
    };

    private static long? UInt32(CborMap map, string key) => map[key] switch
    {
        null => null,
        long l when l is >= 0 and <= uint.MaxValue => l,
        _ => throw new FormatException($"{key} is not an unsigned 32-bit integer"),
    };
}
