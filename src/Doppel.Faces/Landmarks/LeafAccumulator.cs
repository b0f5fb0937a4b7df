using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Doppel.Faces.Landmarks;

/// <summary>
/// shape += leaf for every tree of a cascade level: the innermost work of the predictor
/// (500 leaves of 136 floats per level, 7,500 per face). Each element still receives its
/// leaves one after another in tree order, exactly as dlib's loop adds them, so the vector
/// paths give bit-identical floats; they only change which elements are added together.
/// </summary>
internal static class LeafAccumulator
{
    /// <summary>
    /// Starts loading one leaf (leaves[offset .. offset + length]) into cache. A hint only:
    /// it changes no result, and is skipped where the CPU has no prefetch instruction.
    /// </summary>
    public static unsafe void Prefetch(float[] leaves, int offset, int length)
    {
        if ((uint)offset > (uint)(leaves.Length - length) || length <= 0) throw new ArgumentOutOfRangeException(nameof(offset));
        if (!Sse.IsSupported) return;
        fixed (float* p = &leaves[offset])
        {
            byte* start = (byte*)p, end = (byte*)(p + length);
            // Every 64-byte cache line the leaf touches (leaves are not line-aligned).
            for (byte* line = start; line < end; line += 64) Sse.Prefetch0(line);
            Sse.Prefetch0(end - 1);
        }
    }

    /// <summary>
    /// shape += leaves[offset .. offset + shape.Length] for each offset, in order.
    /// The shape is walked in blocks held in registers (4 vectors), and for each block all
    /// leaves are added before it is stored: no store-to-load round trip per tree.
    /// The first block's pass brings each leaf into cache, where the later blocks find it
    /// (a level's 500 leaves are 272 KB, which fits in L2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void AddAll(Span<float> shape, float[] leaves, ReadOnlySpan<int> offsets)
    {
        int length = shape.Length;
        foreach (int offset in offsets)
            if ((uint)offset > (uint)(leaves.Length - length)) throw new ArgumentOutOfRangeException(nameof(offsets));
        if (offsets.IsEmpty) return;

        fixed (float* leafBase = leaves)
        fixed (float* s = shape)
        fixed (int* off = offsets)
        {
            int count = offsets.Length;
            int i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                // 64 floats per block: 4 x Vector512.
                for (; i + 64 <= length; i += 64)
                {
                    Vector512<float> a0 = Vector512.Load(s + i), a1 = Vector512.Load(s + i + 16);
                    Vector512<float> a2 = Vector512.Load(s + i + 32), a3 = Vector512.Load(s + i + 48);
                    for (int t = 0; t < count; t++)
                    {
                        float* l = leafBase + off[t] + i;
                        a0 += Vector512.Load(l); a1 += Vector512.Load(l + 16);
                        a2 += Vector512.Load(l + 32); a3 += Vector512.Load(l + 48);
                    }
                    a0.Store(s + i); a1.Store(s + i + 16); a2.Store(s + i + 32); a3.Store(s + i + 48);
                }
            }
            if (Vector256.IsHardwareAccelerated)
            {
                // 32 floats per block: 4 x Vector256.
                for (; i + 32 <= length; i += 32)
                {
                    Vector256<float> a0 = Vector256.Load(s + i), a1 = Vector256.Load(s + i + 8);
                    Vector256<float> a2 = Vector256.Load(s + i + 16), a3 = Vector256.Load(s + i + 24);
                    for (int t = 0; t < count; t++)
                    {
                        float* l = leafBase + off[t] + i;
                        a0 += Vector256.Load(l); a1 += Vector256.Load(l + 8);
                        a2 += Vector256.Load(l + 16); a3 += Vector256.Load(l + 24);
                    }
                    a0.Store(s + i); a1.Store(s + i + 8); a2.Store(s + i + 16); a3.Store(s + i + 24);
                }
                // 8 floats per block (the 68-point shape's last 8 of 136).
                for (; i + 8 <= length; i += 8)
                {
                    Vector256<float> a = Vector256.Load(s + i);
                    for (int t = 0; t < count; t++) a += Vector256.Load(leafBase + off[t] + i);
                    a.Store(s + i);
                }
            }
            // Scalar remainder (and the whole shape without vector hardware): the reference.
            for (; i < length; i++)
            {
                float a = s[i];
                for (int t = 0; t < count; t++) a += leafBase[off[t] + i];
                s[i] = a;
            }
        }
    }
}
