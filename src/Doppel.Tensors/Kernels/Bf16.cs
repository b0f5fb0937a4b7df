using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Doppel.Tensors.Optim;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// bfloat16: the upper half of an IEEE float32 (sign, the same 8-bit exponent, 7 of the 23
/// mantissa bits), so it covers float's whole range at about 3 significant digits, and widening
/// back to float is exact (append 16 zero bits). Rounding from float is to nearest, ties to even,
/// on the bit pattern: add 0x7FFF plus the lowest kept bit, then drop the low 16 bits. That carries
/// into the exponent where it should (1.9999 rounds to 2, the largest floats round to infinity) and
/// leaves infinities alone; NaN is the one case the addition would break (a NaN whose payload sits
/// in the low bits could round to infinity), so NaNs keep their upper half with the quiet bit set.
/// Three twins with identical results: 16 lanes (AVX-512), 8 lanes (AVX2), scalar.
/// </summary>
internal static class Bf16
{
    private const int MinChunk = 1 << 16;

    /// <summary>One float rounded to bfloat16 bits (the scalar twin, and the reference for the vector ones).</summary>
    public static ushort FromFloat(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & 0x7FFF_FFFFu) > 0x7F80_0000u) return (ushort)((bits >> 16) | 0x40); // NaN: keep it NaN, quiet
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1)) >> 16);
    }

    /// <summary>The float a bfloat16 stands for (exact).</summary>
    public static float ToFloat(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>dst[i] = bf16(src[i]) for every i, split across the cores when long.</summary>
    public static void Round(ReadOnlySpan<float> src, Span<ushort> dst) => Round(SimdWidths.Best, src, dst);

    public static unsafe void Round(SimdWidth width, ReadOnlySpan<float> src, Span<ushort> dst)
    {
        if (dst.Length < src.Length) throw new ArgumentException($"bf16: {dst.Length} outputs for {src.Length} inputs");
        fixed (float* ps = src)
        fixed (ushort* pd = dst)
        {
            nint s0 = (nint)ps, d0 = (nint)pd;
            Par.For(src.Length, MinChunk, (s, e) =>
            {
                var from = new ReadOnlySpan<float>((float*)s0 + s, e - s);
                var to = new Span<ushort>((ushort*)d0 + s, e - s);
                int i = width switch
                {
                    SimdWidth.Vector512 => Vector512Run(from, to),
                    SimdWidth.Vector256 => Vector256Run(from, to),
                    _ => 0,
                };
                ScalarRun(from[i..], to[i..]);
            });
        }
    }

    /// <summary>dst[i] = the float bf16 bits src[i] stand for.</summary>
    public static void Widen(ReadOnlySpan<ushort> src, Span<float> dst)
    {
        if (dst.Length < src.Length) throw new ArgumentException($"bf16: {dst.Length} outputs for {src.Length} inputs");
        var bits = MemoryMarshal.Cast<float, uint>(dst);
        for (int i = 0; i < src.Length; i++) bits[i] = (uint)src[i] << 16;
    }

    /// <summary>Whole 32-element blocks (two 16-lane vectors narrowed into one); returns where the tail starts.</summary>
    internal static int Vector512Run(ReadOnlySpan<float> src, Span<ushort> dst)
    {
        ref uint s = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(src));
        ref ushort d = ref MemoryMarshal.GetReference(dst);
        int i = 0;
        for (; i + 32 <= src.Length; i += 32)
        {
            var low = RoundLanes(Vector512.LoadUnsafe(ref s, (nuint)i));
            var high = RoundLanes(Vector512.LoadUnsafe(ref s, (nuint)(i + 16)));
            Vector512.Narrow(low, high).StoreUnsafe(ref d, (nuint)i); // keeps each lane's low 16 bits
        }
        return i;
    }

    /// <summary>Whole 16-element blocks (two 8-lane vectors narrowed into one); returns where the tail starts.</summary>
    internal static int Vector256Run(ReadOnlySpan<float> src, Span<ushort> dst)
    {
        ref uint s = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(src));
        ref ushort d = ref MemoryMarshal.GetReference(dst);
        int i = 0;
        for (; i + 16 <= src.Length; i += 16)
        {
            var low = RoundLanes(Vector256.LoadUnsafe(ref s, (nuint)i));
            var high = RoundLanes(Vector256.LoadUnsafe(ref s, (nuint)(i + 8)));
            Vector256.Narrow(low, high).StoreUnsafe(ref d, (nuint)i);
        }
        return i;
    }

    /// <summary>The scalar twin over a whole span (and the vector twins' tail).</summary>
    internal static void ScalarRun(ReadOnlySpan<float> src, Span<ushort> dst)
    {
        for (int i = 0; i < src.Length; i++) dst[i] = FromFloat(src[i]);
    }

    // Lane by lane what FromFloat does: the rounded upper half, or for NaN the upper half with the quiet bit.
    private static Vector512<uint> RoundLanes(Vector512<uint> bits)
    {
        var rounded = (bits + Vector512.Create(0x7FFFu) + ((bits >> 16) & Vector512<uint>.One)) >> 16;
        var nan = Vector512.GreaterThan(bits & Vector512.Create(0x7FFF_FFFFu), Vector512.Create(0x7F80_0000u));
        return Vector512.ConditionalSelect(nan, (bits >> 16) | Vector512.Create(0x40u), rounded);
    }

    private static Vector256<uint> RoundLanes(Vector256<uint> bits)
    {
        var rounded = (bits + Vector256.Create(0x7FFFu) + ((bits >> 16) & Vector256<uint>.One)) >> 16;
        var nan = Vector256.GreaterThan(bits & Vector256.Create(0x7FFF_FFFFu), Vector256.Create(0x7F80_0000u));
        return Vector256.ConditionalSelect(nan, (bits >> 16) | Vector256.Create(0x40u), rounded);
    }
}
