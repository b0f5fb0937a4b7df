using System.Buffers.Binary;
using System.Text;

namespace Doppel.Provenance.Jumbf;

/// <summary>Malformed JUMBF (ISO/IEC 19566-5) box structure.</summary>
public sealed class JumbfException(string message) : Exception(message);

/// <summary>
/// One ISO BMFF-style box as JUMBF uses it: a superbox (<c>jumb</c>) with its description box
/// (<c>jumd</c>) and children, or a content box (<c>cbor</c>, <c>json</c>, <c>uuid</c>, ...).
/// <see cref="Start"/> and <see cref="Length"/> locate the whole box in the buffer it was read
/// from; <see cref="Payload"/> is everything after the box header.
/// </summary>
public sealed class JumbfBox
{
    public required string Type { get; init; }
    public required ReadOnlyMemory<byte> Payload { get; init; }
    public required int Start { get; init; }
    public required int Length { get; init; }
    public JumbfDescription? Description { get; init; }
    public IReadOnlyList<JumbfBox> Children { get; init; } = [];

    public bool IsSuperbox => Type == "jumb";
    public string? Label => Description?.Label;

    /// <summary>The first child superbox with this label, or null.</summary>
    public JumbfBox? Child(string label) => Children.FirstOrDefault(c => c.IsSuperbox && c.Label == label);

    /// <summary>The first content box (non-<c>jumd</c>) of a superbox, or null.</summary>
    public JumbfBox? Content => Children.FirstOrDefault(c => c.Type != "jumd" && !c.IsSuperbox);
}

/// <summary>The <c>jumd</c> description box: content-type UUID, toggles, label, optional ID and signature.</summary>
public sealed record JumbfDescription(byte[] TypeUuid, byte Toggles, string? Label, uint? Id)
{
    /// <summary>The four ASCII letters that open the type UUID (C2PA types are 4CC + a fixed suffix).</summary>
    public string TypeCode => Encoding.ASCII.GetString(TypeUuid, 0, 4);
}

/// <summary>Reads JUMBF boxes. Every length is checked against the enclosing box; nesting is limited.</summary>
public static class JumbfReader
{
    public const int MaxDepth = 32;

    /// <summary>Reads the single top-level box of <paramref name="data"/> (normally the C2PA manifest store).</summary>
    public static JumbfBox ReadBox(ReadOnlyMemory<byte> data)
    {
        var boxes = ReadBoxes(data, 0, data.Length, 0);
        if (boxes.Count == 0) throw new JumbfException("no JUMBF box");
        return boxes[0];
    }

    public static List<JumbfBox> ReadBoxes(ReadOnlyMemory<byte> data, int start, int end, int depth)
    {
        if (depth > MaxDepth) throw new JumbfException("JUMBF nested too deeply");
        var boxes = new List<JumbfBox>();
        int pos = start;
        while (pos < end)
        {
            ReadOnlySpan<byte> span = data.Span;
            if (end - pos < 8) throw new JumbfException($"truncated box header at {pos}");
            ulong length = BinaryPrimitives.ReadUInt32BigEndian(span[pos..]);
            string type = Encoding.Latin1.GetString(span.Slice(pos + 4, 4));
            int header = 8;
            if (length == 1)
            {
                if (end - pos < 16) throw new JumbfException($"truncated extended box header at {pos}");
                length = BinaryPrimitives.ReadUInt64BigEndian(span[(pos + 8)..]);
                header = 16;
            }
            else if (length == 0) length = (ulong)(end - pos);
            if (length < (ulong)header) throw new JumbfException($"box '{type}' at {pos} has length {length}, less than its header");
            if (length > (ulong)(end - pos)) throw new JumbfException($"box '{type}' at {pos} claims {length} bytes, {end - pos} remain");
            int boxEnd = pos + (int)length;
            int payloadStart = pos + header;
            ReadOnlyMemory<byte> payload = data[payloadStart..boxEnd];
            if (type == "jumb")
            {
                var children = ReadBoxes(data, payloadStart, boxEnd, depth + 1);
                if (children.Count == 0 || children[0].Type != "jumd")
                    throw new JumbfException($"superbox at {pos} does not start with a description box");
                boxes.Add(new JumbfBox { Type = type, Payload = payload, Start = pos, Length = (int)length, Children = children, Description = children[0].Description });
            }
            else
            {
                JumbfDescription? desc = type == "jumd" ? ParseDescription(payload.Span, pos) : null;
                boxes.Add(new JumbfBox { Type = type, Payload = payload, Start = pos, Length = (int)length, Description = desc });
            }
            pos = boxEnd;
        }
        return boxes;
    }

    private static JumbfDescription ParseDescription(ReadOnlySpan<byte> p, int at)
    {
        if (p.Length < 17) throw new JumbfException($"description box at {at} is shorter than 17 bytes");
        byte toggles = p[16];
        int pos = 17;
        string? label = null;
        uint? id = null;
        if ((toggles & 0x02) != 0)
        {
            int nul = p[pos..].IndexOf((byte)0);
            if (nul < 0) throw new JumbfException($"description box at {at} has an unterminated label");
            try { label = new UTF8Encoding(false, true).GetString(p.Slice(pos, nul)); }
            catch (DecoderFallbackException) { throw new JumbfException($"description box at {at} has a label that is not UTF-8"); }
            pos += nul + 1;
        }
        if ((toggles & 0x04) != 0)
        {
            if (p.Length - pos < 4) throw new JumbfException($"description box at {at} ends inside its ID");
            id = BinaryPrimitives.ReadUInt32BigEndian(p[pos..]);
            pos += 4;
        }
        if ((toggles & 0x08) != 0 && p.Length - pos < 32) throw new JumbfException($"description box at {at} ends inside its signature");
        return new JumbfDescription(p[..16].ToArray(), toggles, label, id);
    }
}

/// <summary>Writes JUMBF boxes.</summary>
public static class JumbfWriter
{
    /// <summary>The fixed 12-byte tail of the ISO 19566-5 / C2PA type UUIDs that start with a 4CC.</summary>
    private static readonly byte[] UuidTail = [0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>A type UUID from its four-letter code, e.g. "c2pa", "c2ma", "c2as", "c2cl", "c2cs", "cbor", "json".</summary>
    public static byte[] TypeUuid(string fourCc) => [.. Encoding.ASCII.GetBytes(fourCc), .. UuidTail];

    public static byte[] Box(string type, ReadOnlySpan<byte> payload)
    {
        long length = 8L + payload.Length;
        if (length > uint.MaxValue) throw new ArgumentException("box too large");
        var result = new byte[length];
        BinaryPrimitives.WriteUInt32BigEndian(result, (uint)length);
        Encoding.ASCII.GetBytes(type, result.AsSpan(4, 4));
        payload.CopyTo(result.AsSpan(8));
        return result;
    }

    /// <summary>A description box, requestable and labelled (toggles 0x03), as C2PA requires.</summary>
    public static byte[] Description(byte[] typeUuid, string label)
    {
        byte[] labelBytes = Encoding.UTF8.GetBytes(label);
        var payload = new byte[16 + 1 + labelBytes.Length + 1];
        typeUuid.CopyTo(payload, 0);
        payload[16] = 0x03;
        labelBytes.CopyTo(payload, 17);
        return Box("jumd", payload);
    }

    /// <summary>A superbox: its description box followed by the already-encoded children.</summary>
    public static byte[] Superbox(string typeCode, string label, params byte[][] children)
    {
        var content = new MemoryStream();
        content.Write(Description(TypeUuid(typeCode), label));
        foreach (byte[] child in children) content.Write(child);
        return Box("jumb", content.ToArray());
    }
}
