using System.Runtime.CompilerServices;
using Doppel.Core;

namespace Doppel.Faces.Landmarks;

/// <summary>
/// Decodes the primitives of dlib's binary serialisation (dlib/serialize.h) from a byte span.
/// Integers are a control byte (low nibble = byte count 1..8, bit 0x80 = negative for signed
/// types) followed by the magnitude's bytes, least significant first. Floats are a signed
/// 64-bit mantissa and a signed 16-bit exponent in that integer encoding, worth
/// mantissa * 2^exponent, with exponents 32000/32001/32002 meaning +inf/-inf/NaN.
/// Any inconsistency is a <see cref="DoppelException"/>: the file is malformed, not our bug.
/// </summary>
internal ref struct DlibPrimitiveReader
{
    private const short PositiveInfinityExponent = 32000;
    private const short NegativeInfinityExponent = 32001;
    private const short NaNExponent = 32002;

    private readonly ReadOnlySpan<byte> _data;
    private readonly string _source;
    private int _position;

    public DlibPrimitiveReader(ReadOnlySpan<byte> data, string source)
    {
        _data = data;
        _source = source;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly bool AtEnd => _position == _data.Length;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long ReadSigned(int maxBytes)
    {
        byte control = NextByte();
        int size = control & 0x0F;
        if (size == 0 || size > maxBytes) throw Malformed($"integer of {size} bytes where at most {maxBytes} fit");
        ulong magnitude = ReadMagnitude(size);
        if (magnitude > long.MaxValue) throw Malformed("integer out of range");
        return (control & 0x80) != 0 ? -(long)magnitude : (long)magnitude;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong ReadUnsigned(int maxBytes)
    {
        // dlib masks out three reserved bits and keeps the sign bit, so a "negative" unsigned
        // value shows up as an oversized count and is rejected, as dlib itself does.
        int size = NextByte() & 0x8F;
        if (size == 0 || size > maxBytes) throw Malformed($"unsigned integer with control {size:x2}");
        return ReadMagnitude(size);
    }

    /// <summary>An unsigned count or index that must fit in an int (array sizes, part indices).</summary>
    public int ReadCount(string what)
    {
        ulong value = ReadUnsigned(8);
        if (value > int.MaxValue) throw Malformed($"{what} of {value} is too large");
        return (int)value;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float ReadFloat()
    {
        if (_position >= _data.Length) throw Truncated();
        // dlib's older text format starts with an ASCII digit or sign, whose bits 0x70 are set.
        if ((_data[_position] & 0x70) != 0) throw Malformed("float in dlib's old text format, which Doppel does not read");
        long mantissa = ReadSigned(8);
        short exponent = (short)ReadSigned(2);
        return exponent switch
        {
            PositiveInfinityExponent => float.PositiveInfinity,
            NegativeInfinityExponent => float.NegativeInfinity,
            NaNExponent => float.NaN,
            // Same as dlib's std::ldexp((float)mantissa, exponent): round to float, then scale exactly.
            _ => MathF.ScaleB(mantissa, exponent),
        };
    }

    public readonly DoppelException Malformed(string detail) =>
        new($"{_source} is not a valid dlib shape predictor ({detail} at byte {_position})",
            "reinstall it: apt-get install --reinstall libdlib-data");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ulong ReadMagnitude(int size)
    {
        if (_data.Length - _position < size) throw Truncated();
        ulong value = 0;
        for (int i = size - 1; i >= 0; i--) value = (value << 8) | _data[_position + i];
        _position += size;
        return value;
    }

    private byte NextByte()
    {
        if (_position >= _data.Length) throw Truncated();
        return _data[_position++];
    }

    private readonly DoppelException Truncated() => Malformed("unexpected end of file");
}
