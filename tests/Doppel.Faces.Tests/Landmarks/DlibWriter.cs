namespace Doppel.Faces.Tests.Landmarks;

/// <summary>
/// Test-side writer of dlib's serialisation primitives, so tests can build small, exactly
/// known models. Floats are written as their exact IEEE mantissa and exponent, a valid
/// (if not dlib's most compact) encoding.
/// </summary>
internal sealed class DlibWriter
{
    private readonly MemoryStream _bytes = new();

    public byte[] ToArray() => _bytes.ToArray();

    public DlibWriter Int(long value)
    {
        ulong magnitude = (ulong)Math.Abs(value);
        var digits = new List<byte>();
        do { digits.Add((byte)(magnitude & 0xFF)); magnitude >>= 8; } while (magnitude != 0);
        _bytes.WriteByte((byte)(digits.Count | (value < 0 ? 0x80 : 0)));
        _bytes.Write(digits.ToArray());
        return this;
    }

    public DlibWriter Float(float value)
    {
        if (value == 0) return Int(0).Int(0);
        int bits = BitConverter.SingleToInt32Bits(value);
        int biased = (bits >> 23) & 0xFF;
        long mantissa = biased == 0 ? bits & 0x7FFFFF : (bits & 0x7FFFFF) | 0x800000;
        int exponent = (biased == 0 ? 1 : biased) - 150;
        return Int(value < 0 ? -mantissa : mantissa).Int(exponent);
    }

    public DlibWriter ColumnVector(params float[] values)
    {
        Int(-values.Length).Int(-1);
        foreach (float v in values) Float(v);
        return this;
    }
}
