using System.Collections;
using System.Formats.Cbor;
using Formats = System.Formats.Cbor;

namespace Doppel.Provenance.Cbor;

/// <summary>
/// Encodes the object model of <see cref="CborReader"/> with .NET's System.Formats.Cbor writer:
/// definite lengths, shortest integer heads, map entries in the order they were added (C2PA
/// does not ask for sorted keys, and c2pa-rs writes fields in declaration order). Strict mode,
/// so a map given the same key twice is refused rather than written.
/// </summary>
public static class CborWriter
{
    public static byte[] Encode(object? value)
    {
        var writer = new Formats.CborWriter(CborConformanceMode.Strict, convertIndefiniteLengthEncodings: false);
        Write(writer, value);
        return writer.Encode();
    }

    private static void Write(Formats.CborWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNull(); break;
            case bool b: writer.WriteBoolean(b); break;
            case CborUndefined: writer.WriteSimpleValue(CborSimpleValue.Undefined); break;
            case int i: writer.WriteInt64(i); break;
            case long l: writer.WriteInt64(l); break;
            case string s: writer.WriteTextString(s); break;
            case byte[] bytes: writer.WriteByteString(bytes); break;
            case double d: writer.WriteDouble(d); break;
            case CborMap map:
                writer.WriteStartMap(map.Entries.Count);
                foreach (var (key, item) in map.Entries)
                {
                    Write(writer, key);
                    Write(writer, item);
                }
                writer.WriteEndMap();
                break;
            case CborTag tag:
                writer.WriteTag((Formats.CborTag)tag.Tag);
                Write(writer, tag.Value);
                break;
            case IEnumerable list:
            {
                var items = list.Cast<object?>().ToList();
                writer.WriteStartArray(items.Count);
                foreach (object? item in items) Write(writer, item);
                writer.WriteEndArray();
                break;
            }
            default: throw new ArgumentException($"cannot encode {value.GetType().Name} as CBOR");
        }
    }
}
