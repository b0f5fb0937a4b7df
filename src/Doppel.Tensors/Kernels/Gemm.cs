namespace Doppel.Tensors.Kernels;

/// <summary>
/// Row-major single-precision matrix multiply, C = alpha * op(A) * op(B) + beta * C. Dispatches
/// to OpenBLAS when it loads and to <see cref="ManagedGemm"/> otherwise (or when
/// <see cref="ForceManaged"/> is set, so tests can exercise the fallback on any machine).
/// With <see cref="Precision.Bf16"/> the operands are rounded to bfloat16 first and the product
/// runs in <see cref="Bf16Gemm"/> (C and the accumulation stay float32).
/// </summary>
public static unsafe class Gemm
{
    /// <summary>Use the managed kernel even when OpenBLAS is present.</summary>
    public static bool ForceManaged { get; set; }

    public static bool UsesOpenBlas => OpenBlas.IsAvailable && !ForceManaged;

    public static string Backend => UsesOpenBlas ? $"OpenBLAS ({OpenBlas.LoadedFrom}, {OpenBlas.CoreType ?? "own core choice"})" : "managed SIMD";

    /// <summary>What runs <see cref="Precision.Bf16"/> products: oneDNN, or the rounded operands on the float32 GEMM.</summary>
    public static string Bf16Backend => Bf16Gemm.Backend;

    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Run(Precision.Fp32, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>As the float32 overload, in the given precision.</summary>
    public static void Run(Precision precision, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        CheckExtent("A", a.Length, transA ? k : m, transA ? m : k, lda);
        CheckExtent("B", b.Length, transB ? n : k, transB ? k : n, ldb);
        CheckExtent("C", c.Length, m, n, ldc);
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (precision == Precision.Bf16 && k > 0)
                Bf16Gemm.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            else Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }

    internal static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            // BLAS leaves C * beta when k == 0; make both back ends agree on that.
            for (int i = 0; i < m; i++)
            {
                var row = new Span<float>(c + (long)i * ldc, n);
                if (beta == 0f) row.Clear(); else System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
            return;
        }
        if (UsesOpenBlas) OpenBlas.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else ManagedGemm.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>Elements a rows x cols matrix with leading dimension ld spans (0 when empty).</summary>
    internal static long Extent(int rows, int cols, int ld) => rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;

    private static void CheckExtent(string name, int length, int rows, int cols, int ld)
    {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) throw new ArgumentException($"gemm: leading dimension {ld} of {name} is less than its {cols} columns");
        long needed = (long)(rows - 1) * ld + cols;
        if (length < needed) throw new ArgumentException($"gemm: {name} has {length} elements, needs {needed} for {rows}x{cols} (ld {ld})");
    }
}
