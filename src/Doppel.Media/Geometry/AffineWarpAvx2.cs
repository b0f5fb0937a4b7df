using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Doppel.Media.Geometry;

/// <summary>
/// Eight RGB output pixels at a time for <see cref="AffineWarpKernel{TChannels}"/>, with AVX2 gathers.
/// Lanes: output pixels x..x+7 of one row. Their source coordinates are computed in float and
/// turned into 11-bit fixed point exactly as the scalar path does (integer part = pixel, low
/// 11 bits = weight); four 32-bit gathers fetch the R,G,B(+1 spare) bytes of the four neighbours;
/// each channel is then weighted in 32-bit integer lanes and the eight RGB results are packed
/// back into 24 bytes. Only used when all eight points are strictly inside (see
/// <see cref="TryGroup"/>); otherwise the caller falls back to the scalar path for the group.
/// </summary>
internal static unsafe class AffineWarpAvx2
{
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>Float coordinates keep 1/2048-pixel steps exact only below 2^12 pixels.</summary>
    public static bool CanHandle(int sourceWidth, int sourceHeight) => sourceWidth < 4096 && sourceHeight < 4096;

    /// <summary>
    /// Warps output pixels x..x+7 of a row whose source positions are rowX + A*x, rowY + D*x.
    /// Returns false, writing nothing, unless every neighbour lies inside the source. The
    /// bottom bound is one row stricter than needed so the spare fourth byte of each gathered
    /// pixel never reads past the end of the buffer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryGroup(byte* src, int srcStride, float maxX, float maxY, float a, float d, float rowX, float rowY, int x, byte* o)
    {
        Vector256<float> lane = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7) + Vector256.Create((float)x);
        Vector256<float> sx = lane * Vector256.Create(a) + Vector256.Create(rowX);
        Vector256<float> sy = lane * Vector256.Create(d) + Vector256.Create(rowY);
        Vector256<float> inside = Vector256.GreaterThanOrEqual(sx, Vector256<float>.Zero) & Vector256.GreaterThanOrEqual(sy, Vector256<float>.Zero)
            & Vector256.LessThan(sx, Vector256.Create(maxX)) & Vector256.LessThan(sy, Vector256.Create(maxY - 1));
        if (inside.ExtractMostSignificantBits() != 0xFF) return false;

        // Fixed point: round(s * 2048); the integer part is the top-left neighbour, the rest the weight.
        Vector256<int> fx = Avx.ConvertToVector256Int32WithTruncation(sx * Vector256.Create(2048f) + Vector256.Create(0.5f));
        Vector256<int> fy = Avx.ConvertToVector256Int32WithTruncation(sy * Vector256.Create(2048f) + Vector256.Create(0.5f));
        Vector256<int> wx = fx & Vector256.Create(2047), wy = fy & Vector256.Create(2047);
        Vector256<int> w11 = wx * wy;
        Vector256<int> w10 = Vector256.ShiftLeft(wx, 11) - w11;
        Vector256<int> w01 = Vector256.ShiftLeft(wy, 11) - w11;
        Vector256<int> w00 = Vector256.Create(1 << 22) - w10 - w01 - w11;

        Vector256<int> offset = Vector256.ShiftRightArithmetic(fy, 11) * Vector256.Create(srcStride) + Vector256.ShiftRightArithmetic(fx, 11) * Vector256.Create(3);
        Vector256<int> p00 = Avx2.GatherVector256((int*)src, offset, 1);
        Vector256<int> p10 = Avx2.GatherVector256((int*)(src + 3), offset, 1);
        Vector256<int> p01 = Avx2.GatherVector256((int*)(src + srcStride), offset, 1);
        Vector256<int> p11 = Avx2.GatherVector256((int*)(src + srcStride + 3), offset, 1);

        Vector256<int> r = Channel(p00, p10, p01, p11, w00, w10, w01, w11, 0);
        Vector256<int> g = Channel(p00, p10, p01, p11, w00, w10, w01, w11, 8);
        Vector256<int> b = Channel(p00, p10, p01, p11, w00, w10, w01, w11, 16);
        Vector256<byte> rgb0 = (r | Vector256.ShiftLeft(g, 8) | Vector256.ShiftLeft(b, 16)).AsByte();

        // Per 128-bit half: four RGB0 pixels -> twelve RGB bytes (the last four lanes are discarded).
        Vector256<byte> packed = Avx2.Shuffle(rgb0, Vector256.Create(
            (byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80,
            0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80));
        Vector128<byte> low = packed.GetLower(), high = packed.GetUpper();
        // Exact 8 + 4 byte stores: nothing beyond pixel x+7 is touched.
        *(ulong*)o = low.AsUInt64().ToScalar();
        *(uint*)(o + 8) = low.AsUInt32().GetElement(2);
        *(ulong*)(o + 12) = high.AsUInt64().ToScalar();
        *(uint*)(o + 20) = high.AsUInt32().GetElement(2);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Channel(Vector256<int> p00, Vector256<int> p10, Vector256<int> p01, Vector256<int> p11,
        Vector256<int> w00, Vector256<int> w10, Vector256<int> w01, Vector256<int> w11, int shift)
    {
        Vector256<int> mask = Vector256.Create(0xFF);
        Vector256<int> sum = (Vector256.ShiftRightLogical(p00, shift) & mask) * w00
                           + (Vector256.ShiftRightLogical(p10, shift) & mask) * w10
                           + (Vector256.ShiftRightLogical(p01, shift) & mask) * w01
                           + (Vector256.ShiftRightLogical(p11, shift) & mask) * w11;
        return Vector256.ShiftRightLogical(sum + Vector256.Create(1 << 21), 22);
    }
}
