using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// Binary cross-entropy on logits, element by element, in the overflow-free form
/// <code>
///   L = log1p(exp(-|x|))                      (never overflows: the exponent is &lt;= 0)
///   l = max(x, 0) - x z + L + (p - 1) z sp,   sp = softplus(-x) = max(-x, 0) + L
/// </code>
/// which equals PyTorch's (1 - z) x + (1 + (p - 1) z) sp for a positive-class weight p, and the
/// plain max(x, 0) - x z + L when p = 1. The derivatives reuse e = exp(-|x|):
/// <code>
///   sigmoid(x) = 1 / (1 + e) for x &gt;= 0, e / (1 + e) otherwise
///   dl/dx = (1 + (p - 1) z) sigmoid(x) - p z,   dl/dz = (p - 1) sp - x
/// </code>
/// Each loop runs 16 lanes (Vector512) where AVX-512 is accelerated, else 8 (Vector256, AVX2), else
/// is the scalar twin; the last n mod lanes elements always take the scalar twin, so every length
/// is handled. Lane sums are widened to double before they are added, as the scalar twin sums.
/// A missing weight (empty span) means 1 and costs nothing in the loop beyond a predictable branch.
/// </summary>
internal static class BceKernels
{
    /// <summary>Tests switch the vector paths off to compare them with the scalar twin on the same input.</summary>
    internal static bool VectorEnabled = true;

    /// <summary>
    /// Tests force one vector width (512 or 256) whatever the hardware, so both paths are checked
    /// on any machine (Vector512 runs emulated where AVX-512 is missing); null picks the widest
    /// accelerated one.
    /// </summary>
    internal static int? ForcedWidth;

    /// <summary>The lanes in bits of the path to take: 512, 256, or 0 for the scalar twin.</summary>
    private static int Width =>
        !VectorEnabled ? 0
        : ForcedWidth ?? (Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 0);

    /// <summary>sum_i w_i l_i in double over x, z, with p (positive-class weight) and w optional (empty = 1).</summary>
    public static double LossSum(ReadOnlySpan<float> x, ReadOnlySpan<float> z, ReadOnlySpan<float> p, ReadOnlySpan<float> w)
    {
        int n = x.Length, i = 0, width = Width;
        double sum = 0;
        bool hasP = !p.IsEmpty, hasW = !w.IsEmpty;
        ref float rx = ref MemoryMarshal.GetReference(x), rz = ref MemoryMarshal.GetReference(z);
        ref float rp = ref MemoryMarshal.GetReference(p), rw = ref MemoryMarshal.GetReference(w);
        if (width == 512)
        {
            var acc = Vector512<double>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                var vx = Vector512.LoadUnsafe(ref rx, (nuint)i);
                var vz = Vector512.LoadUnsafe(ref rz, (nuint)i);
                var l = Log1p(Vector512.Exp(-Vector512.Abs(vx)));
                var term = Vector512.Max(vx, Vector512<float>.Zero) - vx * vz + l;
                if (hasP)
                {
                    var sp = Vector512.Max(-vx, Vector512<float>.Zero) + l;
                    term += (Vector512.LoadUnsafe(ref rp, (nuint)i) - Vector512<float>.One) * vz * sp;
                }
                if (hasW) term *= Vector512.LoadUnsafe(ref rw, (nuint)i);
                var (lo, hi) = Vector512.Widen(term);
                acc += lo + hi;
            }
            sum = Vector512.Sum(acc);
        }
        else if (width == 256)
        {
            var acc = Vector256<double>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                var vx = Vector256.LoadUnsafe(ref rx, (nuint)i);
                var vz = Vector256.LoadUnsafe(ref rz, (nuint)i);
                var l = Log1p(Vector256.Exp(-Vector256.Abs(vx)));
                var term = Vector256.Max(vx, Vector256<float>.Zero) - vx * vz + l;
                if (hasP)
                {
                    var sp = Vector256.Max(-vx, Vector256<float>.Zero) + l;
                    term += (Vector256.LoadUnsafe(ref rp, (nuint)i) - Vector256<float>.One) * vz * sp;
                }
                if (hasW) term *= Vector256.LoadUnsafe(ref rw, (nuint)i);
                var (lo, hi) = Vector256.Widen(term);
                acc += lo + hi;
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++)
            sum += ScalarLoss(x[i], z[i], hasP ? p[i] : 1f) * (hasW ? w[i] : 1f);
        return sum;
    }

    /// <summary>The scalar twin of one element's loss l (before the element weight).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ScalarLoss(float x, float z, float p)
    {
        float l = Log1p(MathF.Exp(-MathF.Abs(x)));
        float term = MathF.Max(x, 0f) - x * z + l;
        if (p != 1f) term += (p - 1f) * z * (MathF.Max(-x, 0f) + l);
        return term;
    }

    /// <summary>softplus(-x) = log(1 + exp(-x)), overflow-free: the derivative of the loss by p, over z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SoftplusNeg(float x) => MathF.Max(-x, 0f) + Log1p(MathF.Exp(-MathF.Abs(x)));

    /// <summary>
    /// dx_i = scale w_i dl/dx_i and dz_i = scale w_i dl/dz_i, each skipped when its span is empty,
    /// written or (when the accumulate flag is set) added.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> z, ReadOnlySpan<float> p, ReadOnlySpan<float> w, float scale,
        Span<float> dx, bool accX, Span<float> dz, bool accZ)
    {
        int n = x.Length, i = 0, width = Width;
        bool hasP = !p.IsEmpty, hasW = !w.IsEmpty, wantX = !dx.IsEmpty, wantZ = !dz.IsEmpty;
        ref float rx = ref MemoryMarshal.GetReference(x), rz = ref MemoryMarshal.GetReference(z);
        ref float rp = ref MemoryMarshal.GetReference(p), rw = ref MemoryMarshal.GetReference(w);
        ref float rdx = ref MemoryMarshal.GetReference(dx), rdz = ref MemoryMarshal.GetReference(dz);
        if (width == 512)
        {
            var one = Vector512<float>.One;
            for (; i + 16 <= n; i += 16)
            {
                var vx = Vector512.LoadUnsafe(ref rx, (nuint)i);
                var vz = Vector512.LoadUnsafe(ref rz, (nuint)i);
                var vp = hasP ? Vector512.LoadUnsafe(ref rp, (nuint)i) : one;
                var s = Vector512.Create(scale);
                if (hasW) s *= Vector512.LoadUnsafe(ref rw, (nuint)i);
                var e = Vector512.Exp(-Vector512.Abs(vx));
                if (wantX)
                {
                    var inv = one / (one + e);
                    var sig = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(vx, Vector512<float>.Zero), inv, e * inv);
                    var d = hasP ? (one + (vp - one) * vz) * sig - vp * vz : sig - vz;
                    d *= s;
                    if (accX) d += Vector512.LoadUnsafe(ref rdx, (nuint)i);
                    d.StoreUnsafe(ref rdx, (nuint)i);
                }
                if (wantZ)
                {
                    var d = -vx;
                    if (hasP) d += (vp - one) * (Vector512.Max(-vx, Vector512<float>.Zero) + Log1p(e));
                    d *= s;
                    if (accZ) d += Vector512.LoadUnsafe(ref rdz, (nuint)i);
                    d.StoreUnsafe(ref rdz, (nuint)i);
                }
            }
        }
        else if (width == 256)
        {
            var one = Vector256<float>.One;
            for (; i + 8 <= n; i += 8)
            {
                var vx = Vector256.LoadUnsafe(ref rx, (nuint)i);
                var vz = Vector256.LoadUnsafe(ref rz, (nuint)i);
                var vp = hasP ? Vector256.LoadUnsafe(ref rp, (nuint)i) : one;
                var s = Vector256.Create(scale);
                if (hasW) s *= Vector256.LoadUnsafe(ref rw, (nuint)i);
                var e = Vector256.Exp(-Vector256.Abs(vx));
                if (wantX)
                {
                    var inv = one / (one + e);
                    var sig = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(vx, Vector256<float>.Zero), inv, e * inv);
                    var d = hasP ? (one + (vp - one) * vz) * sig - vp * vz : sig - vz;
                    d *= s;
                    if (accX) d += Vector256.LoadUnsafe(ref rdx, (nuint)i);
                    d.StoreUnsafe(ref rdx, (nuint)i);
                }
                if (wantZ)
                {
                    var d = -vx;
                    if (hasP) d += (vp - one) * (Vector256.Max(-vx, Vector256<float>.Zero) + Log1p(e));
                    d *= s;
                    if (accZ) d += Vector256.LoadUnsafe(ref rdz, (nuint)i);
                    d.StoreUnsafe(ref rdz, (nuint)i);
                }
            }
        }
        for (; i < n; i++)
        {
            float xi = x[i], zi = z[i], pi = hasP ? p[i] : 1f, si = hasW ? scale * w[i] : scale;
            float e = MathF.Exp(-MathF.Abs(xi));
            if (wantX)
            {
                float inv = 1f / (1f + e), sig = xi >= 0f ? inv : e * inv;
                float d = (hasP ? (1f + (pi - 1f) * zi) * sig - pi * zi : sig - zi) * si;
                dx[i] = accX ? dx[i] + d : d;
            }
            if (wantZ)
            {
                float d = -xi;
                if (hasP) d += (pi - 1f) * (MathF.Max(-xi, 0f) + Log1p(e));
                d *= si;
                dz[i] = accZ ? dz[i] + d : d;
            }
        }
    }

    // log(1 + e) for e in [0, 1], accurate to a few ulp for small e too: log(u) * e / (u - 1) with
    // u = 1 + e cancels the rounding of u (Goldberg's trick), and u == 1 means log1p(e) = e. A plain
    // log(1 + e) is off by tens of percent once e < 1e-6 (|x| > 14) and is 0 beyond |x| = 16.6,
    // exactly where a confidently right logit's whole loss term is e: a well-trained mask's mean
    // loss would be wrong far beyond float rounding.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Log1p(float e)
    {
        float u = 1f + e;
        return u == 1f ? e : MathF.Log(u) * (e / (u - 1f));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Log1p(Vector512<float> e)
    {
        var u = Vector512<float>.One + e;
        return Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<float>.One), e, Vector512.Log(u) * (e / (u - Vector512<float>.One)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Log1p(Vector256<float> e)
    {
        var u = Vector256<float>.One + e;
        return Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<float>.One), e, Vector256.Log(u) * (e / (u - Vector256<float>.One)));
    }
}
