using System.Buffers.Binary;
using Doppel.Core;

namespace Doppel.Provenance.Assets;

/// <summary>One marker segment of a JPEG header: where it starts (its FF), its marker byte, and its total size in the file.</summary>
public readonly record struct JpegSegment(int Start, byte Marker, int Size)
{
    public const byte App0 = 0xE0, App1 = 0xE1, App11 = 0xEB, Sos = 0xDA, Eoi = 0xD9;

    public int End => Start + Size;

    /// <summary>The bytes after the 2-byte length field (empty for standalone markers).</summary>
    public ReadOnlySpan<byte> Contents(ReadOnlySpan<byte> file) => Size > 4 ? file.Slice(Start + 4, Size - 4) : [];
}

/// <summary>
/// The header of a JPEG, segment by segment from SOI to the start of scan, and the APP11
/// segments that carry a C2PA manifest store (ISO 19566-5 JUMBF in JPEG XT boxes: "JP", a
/// 2-byte box instance En, a 4-byte packet sequence Z, then the box; packets after the first
/// repeat the box's LBox/TBox, which the reader drops). Every length is checked against the file.
/// </summary>
public static class JpegSegments
{
    /// <summary>Bytes of an APP11 C2PA segment before the JUMBF data: CI "JP", En, Z.</summary>
    public const int XtHeader = 8;

    public static bool HasSoi(ReadOnlySpan<byte> file) => file.Length >= 3 && file[0] == 0xFF && file[1] == 0xD8 && file[2] == 0xFF;

    /// <summary>The segments after SOI up to and including SOS (or EOI); throws when the file ends first or a length lies.</summary>
    public static List<JpegSegment> Header(ReadOnlySpan<byte> jpg, string source)
    {
        if (!HasSoi(jpg)) throw new DoppelException($"{source} is not a JPEG file", "the SOI marker (FF D8) is missing");
        var segments = new List<JpegSegment>();
        int pos = 2;
        while (true)
        {
            if (pos + 2 > jpg.Length) throw new DoppelException($"{source}: the JPEG ends at byte {pos} before its image data", "the file is damaged or cut short");
            if (jpg[pos] != 0xFF) throw new DoppelException($"{source}: JPEG marker expected at byte {pos}", "the file is damaged");
            byte marker = jpg[pos + 1];
            if (marker == 0xFF) { pos++; continue; } // fill byte
            if (marker == JpegSegment.Eoi) { segments.Add(new JpegSegment(pos, marker, 2)); return segments; }
            if (marker is >= 0xD0 and <= 0xD7 or 0x01) { segments.Add(new JpegSegment(pos, marker, 2)); pos += 2; continue; }
            if (pos + 4 > jpg.Length) throw new DoppelException($"{source}: the JPEG ends inside the segment at byte {pos}", "the file is damaged or cut short");
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpg[(pos + 2)..]);
            if (length < 2 || length > jpg.Length - pos - 2)
                throw new DoppelException($"{source}: JPEG segment at byte {pos} claims {length} bytes, more than the file has", "the file is damaged or cut short");
            segments.Add(new JpegSegment(pos, marker, 2 + length));
            if (marker == JpegSegment.Sos) return segments;
            pos += 2 + length;
        }
    }

    /// <summary>
    /// Indices (into <paramref name="segments"/>) of the APP11 segments holding the C2PA store:
    /// the first whose box is a <c>c2pa</c> superbox, then the following packets with the same
    /// En and rising Z. Another JUMBF box's segments are left alone.
    /// </summary>
    public static List<int> C2paSegments(ReadOnlySpan<byte> jpg, List<JpegSegment> segments, string source)
    {
        var found = new List<int>();
        ushort en = 0;
        uint lastZ = 0;
        for (int i = 0; i < segments.Count; i++)
        {
            JpegSegment s = segments[i];
            if (s.Marker != JpegSegment.App11) continue;
            ReadOnlySpan<byte> c = s.Contents(jpg);
            if (c.Length < XtHeader + 8 || c[0] != (byte)'J' || c[1] != (byte)'P') continue;
            ushort thisEn = BinaryPrimitives.ReadUInt16BigEndian(c[2..]);
            uint z = BinaryPrimitives.ReadUInt32BigEndian(c[4..]);
            if (found.Count > 0 && thisEn == en)
            {
                if (z <= lastZ) throw new DoppelException($"{source}: C2PA APP11 packet at byte {s.Start} is out of sequence (Z={z} after {lastZ})", "the file is damaged");
                found.Add(i);
                lastZ = z;
            }
            else if (IsC2paStoreStart(c[XtHeader..]))
            {
                if (found.Count > 0) throw new DoppelException($"{source}: the JPEG holds more than one C2PA manifest store", "a file carries one store; the file was assembled wrongly");
                found.Add(i);
                en = thisEn;
                lastZ = z;
            }
        }
        return found;
    }

    /// <summary>The manifest store's JUMBF bytes, reassembled from its APP11 packets; null when there is none.</summary>
    public static byte[]? ReadStore(ReadOnlySpan<byte> jpg, string source)
    {
        var segments = Header(jpg, source);
        var indices = C2paSegments(jpg, segments, source);
        if (indices.Count == 0) return null;
        var store = new MemoryStream();
        for (int k = 0; k < indices.Count; k++)
        {
            JpegSegment s = segments[indices[k]];
            ReadOnlySpan<byte> box = s.Contents(jpg)[XtHeader..];
            // Continuation packets repeat LBox and TBox (and XLBox when LBox is 1).
            int skip = k == 0 ? 0 : BinaryPrimitives.ReadUInt32BigEndian(box) == 1 ? 16 : 8;
            if (skip > box.Length) throw new DoppelException($"{source}: C2PA APP11 packet at byte {s.Start} is too short", "the file is damaged");
            store.Write(box[skip..]);
        }
        return store.ToArray();
    }

    /// <summary>A JUMBF superbox whose description box has the c2pa type: LBox, "jumb", then jumd's LBox, "jumd", and the UUID starting "c2pa".</summary>
    private static bool IsC2paStoreStart(ReadOnlySpan<byte> box) =>
        box.Length >= 20 && box.Slice(4, 4).SequenceEqual("jumb"u8) && box.Slice(12, 4).SequenceEqual("jumd"u8) && box.Slice(16, 4).SequenceEqual("c2pa"u8);
}
