using System.Runtime.Intrinsics;

namespace Doppel.Media.Png;

/// <summary>
/// The forward Paeth filter, 16 bytes per step. Unlike its inverse, filtering reads only original
/// pixels (a = left, b = above, c = above-left), so every byte is independent and SIMD applies.
/// Lanes: the 16 bytes of a, b, c and the row widen to two vectors of 8 shorts each (values
/// 0..255, so differences and |a + b - 2c| fit); the predictor is chosen per lane with masks
/// exactly as <see cref="PngFilters.Paeth"/> does; the prediction narrows back to bytes and is
/// subtracted with byte wrap-around. Returns the first index it did not process; the caller
/// finishes the tail with the scalar loop.
/// </summary>
internal static class PngPaethVector
{
    public static int Filter(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int stride, Span<byte> output)
    {
        int i = stride;
        for (; i + Vector128<byte>.Count <= row.Length; i += Vector128<byte>.Count)
        {
            Vector128<byte> x = Vector128.Create(row[i..]);
            Vector128<byte> a = Vector128.Create(row[(i - stride)..]);
            Vector128<byte> b = Vector128.Create(previous[i..]);
            Vector128<byte> c = Vector128.Create(previous[(i - stride)..]);
            Vector128<byte> prediction = Vector128.Narrow(Predict(Low(a), Low(b), Low(c)), Predict(High(a), High(b), High(c)));
            (x - prediction).CopyTo(output[i..]);
        }
        return i;
    }

    private static Vector128<short> Low(Vector128<byte> v) => Vector128.WidenLower(v).AsInt16();

    private static Vector128<short> High(Vector128<byte> v) => Vector128.WidenUpper(v).AsInt16();

    private static Vector128<ushort> Predict(Vector128<short> a, Vector128<short> b, Vector128<short> c)
    {
        Vector128<short> pa = b - c, pb = a - c;
        Vector128<short> pc = Vector128.Abs(pa + pb);
        pa = Vector128.Abs(pa);
        pb = Vector128.Abs(pb);
        Vector128<short> bOrC = Vector128.ConditionalSelect(Vector128.LessThanOrEqual(pb, pc), b, c);
        Vector128<short> useA = Vector128.LessThanOrEqual(pa, pb) & Vector128.LessThanOrEqual(pa, pc);
        return Vector128.ConditionalSelect(useA, a, bOrC).AsUInt16();
    }
}
