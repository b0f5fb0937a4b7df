using System.Formats.Cbor;
using Formats = System.Formats.Cbor;

namespace Doppel.Provenance.Cbor;

/// <summary>
/// Decodes CBOR (RFC 8949) into the plain objects the manifest code works with, using .NET's
/// System.Formats.Cbor reader: long (major 0/1), byte[] (2), string (3), List&lt;object?&gt; (4),
/// <see cref="CborMap"/> (5), <see cref="CborTag"/> (6), bool, null, <see cref="CborUndefined"/>,
/// double (7). Indefinite lengths are read (c2pa-rs writes some), their chunks joined. The
/// reader runs in strict mode (RFC 8949 §5.2.2's checks: valid UTF-8, unique map keys), as
/// the official reader's serde decoding is. Every failure, whatever the library calls it, is a
/// <see cref="CborException"/>. Bounded: the library checks each length against the bytes that
/// remain, and nesting is limited (by the library's own depth limit, and at 64 here), so hostile
/// input costs at most its own size.
/// </summary>
public static class CborReader
{
    public const int MaxDepth = 64;

    /// <summary>Decodes exactly one item that spans all of <paramref name="data"/>.</summary>
    public static object? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new Formats.CborReader(data.ToArray(), CborConformanceMode.Strict);
        try
        {
            object? value = ReadItem(reader, 0);
            if (reader.BytesRemaining != 0) throw new CborException($"{reader.BytesRemaining} trailing bytes after the CBOR item");
            return value;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or OverflowException or FormatException)
        {
            throw new CborException($"malformed CBOR: {e.Message}", e);
        }
    }

    private static object? ReadItem(Formats.CborReader reader, int depth)
    {
        if (depth > MaxDepth) throw new CborException("CBOR nested too deeply");
        switch (reader.PeekState())
        {
            case CborReaderState.UnsignedInteger:
            case CborReaderState.NegativeInteger:
                return reader.ReadInt64(); // OverflowException past long's range
            case CborReaderState.ByteString:
            case CborReaderState.StartIndefiniteLengthByteString:
                return reader.ReadByteString();
            case CborReaderState.TextString:
            case CborReaderState.StartIndefiniteLengthTextString:
                return reader.ReadTextString();
            case CborReaderState.StartArray:
            {
                int? count = reader.ReadStartArray();
                // A claimed count is not trusted for the allocation: each item takes a byte at least.
                var list = new List<object?>(Math.Min(count ?? 0, reader.BytesRemaining));
                while (reader.PeekState() != CborReaderState.EndArray) list.Add(ReadItem(reader, depth + 1));
                reader.ReadEndArray();
                return list;
            }
            case CborReaderState.StartMap:
            {
                reader.ReadStartMap();
                var map = new CborMap();
                while (reader.PeekState() != CborReaderState.EndMap)
                {
                    object key = ReadItem(reader, depth + 1) ?? throw new CborException("CBOR map key is null");
                    map.Add(key, ReadItem(reader, depth + 1));
                }
                reader.ReadEndMap();
                return map;
            }
            case CborReaderState.Tag:
            {
                ulong tag = (ulong)reader.ReadTag();
                return new CborTag(tag, ReadItem(reader, depth + 1));
            }
            case CborReaderState.Boolean:
                return reader.ReadBoolean();
            case CborReaderState.Null:
                reader.ReadNull();
                return null;
            case CborReaderState.HalfPrecisionFloat:
            case CborReaderState.SinglePrecisionFloat:
            case CborReaderState.DoublePrecisionFloat:
                return reader.ReadDouble();
            case CborReaderState.SimpleValue:
            {
                CborSimpleValue simple = reader.ReadSimpleValue();
                return simple == CborSimpleValue.Undefined ? CborUndefined.Instance
                    : throw new CborException($"unsupported CBOR simple value {(int)simple}");
            }
            case var state:
                throw new CborException($"CBOR ends early or is out of place ({state})");
        }
    }
}
