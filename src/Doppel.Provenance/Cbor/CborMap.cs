namespace Doppel.Provenance.Cbor;

/// <summary>Malformed or over-long CBOR. Never thrown for anything but bad input.</summary>
public sealed class CborException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A CBOR map that keeps its keys in the order they were written or read.</summary>
public sealed class CborMap
{
    public List<KeyValuePair<object, object?>> Entries { get; } = [];

    public CborMap Add(object key, object? value) { Entries.Add(new(key, value)); return this; }

    public object? this[object key] => TryGet(key, out object? v) ? v : null;

    public bool TryGet(object key, out object? value)
    {
        foreach (var e in Entries)
            if (KeyEquals(e.Key, key)) { value = e.Value; return true; }
        value = null;
        return false;
    }

    public string? GetString(string key) => this[key] as string;
    public byte[]? GetBytes(string key) => this[key] as byte[];
    public List<object?>? GetArray(string key) => this[key] as List<object?>;
    public CborMap? GetMap(string key) => this[key] as CborMap;
    public long? GetInt(string key) => this[key] is long l ? l : null;

    private static bool KeyEquals(object a, object b) => a switch
    {
        string s => b is string t && s == t,
        long l => b is long m && l == m || b is int i && l == i,
        _ => a.Equals(b),
    };
}

/// <summary>A tagged CBOR item (major type 6).</summary>
public sealed record CborTag(ulong Tag, object? Value);

/// <summary>The CBOR simple value "undefined".</summary>
public sealed class CborUndefined { public static readonly CborUndefined Instance = new(); private CborUndefined() { } }
