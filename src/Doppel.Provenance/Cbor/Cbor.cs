using System.Buffers.Binary;
using System.Text;

namespace Doppel.Provenance.Cbor;

/// <summary>Malformed or over-long CBOR. Never thrown for anything but bad input.</summary>
public sealed class CborException(string message) : Exception(message);

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

/// <summary>
/// A minimal CBOR (RFC 8949) decoder. Items become: long (major 0/1), byte[] (2), string (3),
/// List&lt;object?&gt; (4), <see cref="CborMap"/> (5), <see cref="CborTag"/> (6), bool, null,
/// <see cref="CborUndefined"/>, double (7). Bounded: every length is checked against the bytes
/// that remain before anything is allocated, and nesting is limited, so hostile input costs at
/// most its own size. Indefinite lengths are rejected (C2PA uses deterministic encoding).
/// </summary>
public static class CborReader
{
    public const int MaxDepth = 64;

    /// <summary>Decodes exactly one item that spans all of <paramref name="data"/>.</summary>
    public static object? Decode(ReadOnlySpan<byte> data)
    {
        int pos = 0;
        object? value = ReadItem(data, ref pos, 0);
        if (pos != data.Length) throw new CborException($"{data.Length - pos} trailing bytes after the CBOR item");
        return value;
    }

    /// <summary>Decodes one item starting at <paramref name="pos"/> and advances past it.</summary>
    public static object? ReadItem(ReadOnlySpan<byte> data, ref int pos, int depth)
    {
        if (depth > MaxDepth) throw new CborException("CBOR nested too deeply");
        if (pos >= data.Length) throw new CborException("CBOR ends early");
        byte initial = data[pos++];
        int major = initial >> 5, info = initial & 0x1f;
        if (major == 7) return ReadSimple(data, ref pos, info);
        if (info == 31 && major is >= 2 and <= 5) return ReadIndefinite(data, ref pos, major, depth);
        ulong arg = ReadArgument(data, ref pos, info);
        int remaining = data.Length - pos;
        switch (major)
        {
            case 0:
                if (arg > long.MaxValue) throw new CborException("CBOR integer too large");
                return (long)arg;
            case 1:
                if (arg > long.MaxValue) throw new CborException("CBOR integer too small");
                return -1 - (long)arg;
            case 2:
            case 3:
            {
                if (arg > (ulong)remaining) throw new CborException($"CBOR string claims {arg} bytes, {remaining} remain");
                ReadOnlySpan<byte> bytes = data.Slice(pos, (int)arg);
                pos += (int)arg;
                if (major == 2) return bytes.ToArray();
                try { return new UTF8Encoding(false, true).GetString(bytes); }
                catch (DecoderFallbackException) { throw new CborException("CBOR text string is not valid UTF-8"); }
            }
            case 4:
            {
                if (arg > (ulong)remaining) throw new CborException($"CBOR array claims {arg} items, {remaining} bytes remain");
                var list = new List<object?>((int)arg);
                for (ulong i = 0; i < arg; i++) list.Add(ReadItem(data, ref pos, depth + 1));
                return list;
            }
            case 5:
            {
                if (arg > (ulong)remaining / 2) throw new CborException($"CBOR map claims {arg} entries, {remaining} bytes remain");
                var map = new CborMap();
                for (ulong i = 0; i < arg; i++)
                {
                    object key = ReadItem(data, ref pos, depth + 1) ?? throw new CborException("CBOR map key is null");
                    map.Add(key, ReadItem(data, ref pos, depth + 1));
                }
                return map;
            }
            default: // 6
                return new CborTag(arg, ReadItem(data, ref pos, depth + 1));
        }
    }

    /// <summary>Indefinite-length strings, arrays and maps (c2pa-rs writes some): items until the 0xFF break.</summary>
    private static object ReadIndefinite(ReadOnlySpan<byte> data, ref int pos, int major, int depth)
    {
        var items = new List<object?>();
        while (true)
        {
            if (pos >= data.Length) throw new CborException("indefinite-length CBOR item has no break");
            if (data[pos] == 0xff) { pos++; break; }
            items.Add(ReadItem(data, ref pos, depth + 1));
        }
        switch (major)
        {
            case 2:
                if (!items.All(i => i is byte[])) throw new CborException("indefinite byte string holds a non-byte-string chunk");
                return items.SelectMany(i => (byte[])i!).ToArray();
            case 3:
                if (!items.All(i => i is string)) throw new CborException("indefinite text string holds a non-text chunk");
                return string.Concat(items.Cast<string>());
            case 4:
                return items;
            default:
                if (items.Count % 2 != 0) throw new CborException("indefinite map has a key without a value");
                var map = new CborMap();
                for (int i = 0; i < items.Count; i += 2) map.Add(items[i] ?? throw new CborException("CBOR map key is null"), items[i + 1]);
                return map;
        }
    }

    private static ulong ReadArgument(ReadOnlySpan<byte> data, ref int pos, int info)
    {
        if (info < 24) return (ulong)info;
        int size = info switch { 24 => 1, 25 => 2, 26 => 4, 27 => 8, _ => -1 };
        if (size < 0) throw new CborException(info == 31 ? "indefinite-length CBOR is not supported" : $"reserved CBOR additional info {info}");
        if (data.Length - pos < size) throw new CborException("CBOR ends inside a length");
        ReadOnlySpan<byte> b = data.Slice(pos, size);
        pos += size;
        return size switch
        {
            1 => b[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(b),
            4 => BinaryPrimitives.ReadUInt32BigEndian(b),
            _ => BinaryPrimitives.ReadUInt64BigEndian(b),
        };
    }

    private static object? ReadSimple(ReadOnlySpan<byte> data, ref int pos, int info)
    {
        switch (info)
        {
            case 20: return false;
            case 21: return true;
            case 22: return null;
            case 23: return CborUndefined.Instance;
            case 25:
                if (data.Length - pos < 2) throw new CborException("CBOR ends inside a float");
                pos += 2;
                return (double)BinaryPrimitives.ReadHalfBigEndian(data[(pos - 2)..]);
            case 26:
                if (data.Length - pos < 4) throw new CborException("CBOR ends inside a float");
                pos += 4;
                return (double)BinaryPrimitives.ReadSingleBigEndian(data[(pos - 4)..]);
            case 27:
                if (data.Length - pos < 8) throw new CborException("CBOR ends inside a float");
                pos += 8;
                return BinaryPrimitives.ReadDoubleBigEndian(data[(pos - 8)..]);
            default:
                throw new CborException($"unsupported CBOR simple value {info}");
        }
    }
}

/// <summary>A minimal CBOR encoder for the same object model as <see cref="CborReader"/>; definite lengths, shortest integer forms.</summary>
public static class CborWriter
{
    public static byte[] Encode(object? value)
    {
        var output = new MemoryStream();
        Write(output, value);
        return output.ToArray();
    }

    public static void Write(Stream output, object? value)
    {
        switch (value)
        {
            case null: output.WriteByte(0xf6); break;
            case bool b: output.WriteByte(b ? (byte)0xf5 : (byte)0xf4); break;
            case CborUndefined: output.WriteByte(0xf7); break;
            case int i: WriteInt(output, i); break;
            case long l: WriteInt(output, l); break;
            case string s:
            {
                byte[] utf8 = Encoding.UTF8.GetBytes(s);
                WriteHead(output, 3, (ulong)utf8.Length);
                output.Write(utf8);
                break;
            }
            case byte[] bytes: WriteHead(output, 2, (ulong)bytes.Length); output.Write(bytes); break;
            case CborMap map:
                WriteHead(output, 5, (ulong)map.Entries.Count);
                foreach (var e in map.Entries) { Write(output, e.Key); Write(output, e.Value); }
                break;
            case CborTag tag: WriteHead(output, 6, tag.Tag); Write(output, tag.Value); break;
            case double d:
                output.WriteByte(0xfb);
                Span<byte> buf = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleBigEndian(buf, d);
                output.Write(buf);
                break;
            case System.Collections.IEnumerable list:
            {
                var items = list.Cast<object?>().ToList();
                WriteHead(output, 4, (ulong)items.Count);
                foreach (object? item in items) Write(output, item);
                break;
            }
            default: throw new ArgumentException($"cannot encode {value.GetType().Name} as CBOR");
        }
    }

    private static void WriteInt(Stream output, long v)
    {
        if (v >= 0) WriteHead(output, 0, (ulong)v);
        else WriteHead(output, 1, (ulong)(-1 - v));
    }

    public static void WriteHead(Stream output, int major, ulong arg)
    {
        byte m = (byte)(major << 5);
        Span<byte> buf = stackalloc byte[9];
        if (arg < 24) { output.WriteByte((byte)(m | (byte)arg)); return; }
        if (arg <= byte.MaxValue) { buf[0] = (byte)(m | 24); buf[1] = (byte)arg; output.Write(buf[..2]); return; }
        if (arg <= ushort.MaxValue) { buf[0] = (byte)(m | 25); BinaryPrimitives.WriteUInt16BigEndian(buf[1..], (ushort)arg); output.Write(buf[..3]); return; }
        if (arg <= uint.MaxValue) { buf[0] = (byte)(m | 26); BinaryPrimitives.WriteUInt32BigEndian(buf[1..], (uint)arg); output.Write(buf[..5]); return; }
        buf[0] = (byte)(m | 27); BinaryPrimitives.WriteUInt64BigEndian(buf[1..], arg); output.Write(buf[..9]);
    }
}
