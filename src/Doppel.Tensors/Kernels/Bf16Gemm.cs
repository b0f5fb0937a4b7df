namespace Doppel.Tensors.Kernels;

/// <summary>
/// C = alpha * op(A) * op(B) + beta * C with A and B rounded to bfloat16 (to nearest even) and
/// everything else in float32: the products of two bfloat16 numbers are exact in float32 (8 + 8
/// significant bits), so the only error beyond float32's is the rounding of the inputs. The
/// operands are rounded into pooled scratch on every call, so callers pass float32 as for
/// <see cref="Gemm"/>. oneDNN runs the product where it loads (<see cref="OneDnn"/>); otherwise,
/// or with <see cref="ForceFallback"/>, the rounded values are widened back to float32 and the
/// float32 GEMM multiplies them: the same arithmetic, without the speed.
/// </summary>
internal static unsafe class Bf16Gemm
{
    /// <summary>Tests set it to compare oneDNN with the fallback on the same operands.</summary>
    public static bool ForceFallback { get; set; }

    public static bool UsesOneDnn => OneDnn.IsAvailable && !ForceFallback;

    public static string Backend => UsesOneDnn ? $"oneDNN ({OneDnn.LoadedFrom})" : "bf16-rounded operands on the float32 GEMM";

    /// <summary>Extents are checked by the caller (<see cref="Gemm.Run(Precision, bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>); k &gt; 0.</summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        long aLength = Gemm.Extent(transA ? k : m, transA ? m : k, lda);
        long bLength = Gemm.Extent(transB ? n : k, transB ? k : n, ldb);
        using var aBits = Bf16Scratch.Round(new ReadOnlySpan<float>(a, checked((int)aLength)));
        using var bBits = Bf16Scratch.Round(new ReadOnlySpan<float>(b, checked((int)bLength)));
        Run(transA, transB, m, n, k, alpha, aBits.Bits, lda, bBits.Bits, ldb, beta, c, ldc);
    }

    /// <summary>The product of operands already in bfloat16.</summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<ushort> a, int lda, ReadOnlySpan<ushort> b, int ldb, float beta, float* c, int ldc)
    {
        if (UsesOneDnn)
        {
            fixed (ushort* pa = a, pb = b) OneDnn.Gemm(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, c, ldc);
            return;
        }
        var aWide = BufferPool.Rent(a.Length);
        var bWide = BufferPool.Rent(b.Length);
        try
        {
            Bf16.Widen(a, aWide);
            Bf16.Widen(b, bWide);
            fixed (float* pa = aWide, pb = bWide) Gemm.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, c, ldc);
        }
        finally
        {
            BufferPool.Return(aWide);
            BufferPool.Return(bWide);
        }
    }
}
