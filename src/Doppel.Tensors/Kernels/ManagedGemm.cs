using System.Numerics;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// Portable SIMD single-precision GEMM, used when OpenBLAS is absent (and as a cross-check of
/// it in tests). Operands are first packed to row-major A (m x k) and B (k x n); the kernel then
/// keeps a 4-row x 2-vector block of C in registers while it streams over a 256-deep slice of k.
/// It reaches a fraction of OpenBLAS's speed: correct everywhere, fast enough to be usable.
/// </summary>
internal static unsafe class ManagedGemm
{
    private const int KBlock = 256;
    private const int Rows = 4;

    public static void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        ScaleC(m, n, beta, c, ldc);
        if (m == 0 || n == 0 || k == 0 || alpha == 0f) return;

        float[]? packedA = transA ? Pack(a, lda, k, m) : null;
        float[]? packedB = transB ? Pack(b, ldb, n, k) : null;
        fixed (float* pa = packedA, pb = packedB)
        {
            float* A = transA ? pa : a;
            float* B = transB ? pb : b;
            int strideA = transA ? k : lda;
            int strideB = transB ? n : ldb;
            int rowBlocks = (m + Rows - 1) / Rows;
            nint aAddr = (nint)A, bAddr = (nint)B, cAddr = (nint)c;
            Parallel.For(0, rowBlocks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, block =>
            {
                int row0 = block * Rows;
                int rows = Math.Min(Rows, m - row0);
                for (int k0 = 0; k0 < k; k0 += KBlock)
                {
                    int kc = Math.Min(KBlock, k - k0);
                    RowBlock((float*)aAddr + (long)row0 * strideA + k0, strideA, (float*)bAddr + (long)k0 * strideB, strideB,
                        (float*)cAddr + (long)row0 * ldc, ldc, rows, n, kc, alpha);
                }
            });
        }
    }

    /// <summary>C[rows, n] += alpha * A[rows, kc] * B[kc, n] for one block of at most 4 rows.</summary>
    private static void RowBlock(float* a, int lda, float* b, int ldb, float* c, int ldc, int rows, int n, int kc, float alpha)
    {
        int w = Vector<float>.Count;
        int j = 0;
        if (rows == Rows)
        {
            for (; j + 2 * w <= n; j += 2 * w)
            {
                Vector<float> c00 = default, c01 = default, c10 = default, c11 = default;
                Vector<float> c20 = default, c21 = default, c30 = default, c31 = default;
                for (int p = 0; p < kc; p++)
                {
                    float* bRow = b + (long)p * ldb + j;
                    var b0 = *(Vector<float>*)bRow;
                    var b1 = *(Vector<float>*)(bRow + w);
                    var a0 = new Vector<float>(a[p]);
                    var a1 = new Vector<float>(a[lda + p]);
                    var a2 = new Vector<float>(a[2 * lda + p]);
                    var a3 = new Vector<float>(a[3 * lda + p]);
                    c00 += a0 * b0; c01 += a0 * b1;
                    c10 += a1 * b0; c11 += a1 * b1;
                    c20 += a2 * b0; c21 += a2 * b1;
                    c30 += a3 * b0; c31 += a3 * b1;
                }
                var al = new Vector<float>(alpha);
                AddTo(c + j, al * c00); AddTo(c + j + w, al * c01);
                AddTo(c + ldc + j, al * c10); AddTo(c + ldc + j + w, al * c11);
                AddTo(c + 2 * ldc + j, al * c20); AddTo(c + 2 * ldc + j + w, al * c21);
                AddTo(c + 3 * ldc + j, al * c30); AddTo(c + 3 * ldc + j + w, al * c31);
            }
        }
        // Scalar twin for the column tail and for a short last row block.
        for (int i = 0; i < rows; i++)
        {
            float* cRow = c + (long)i * ldc;
            float* aRow = a + (long)i * lda;
            for (int jj = rows == Rows ? j : 0; jj < n; jj++)
            {
                float sum = 0f;
                for (int p = 0; p < kc; p++) sum += aRow[p] * b[(long)p * ldb + jj];
                cRow[jj] += alpha * sum;
            }
        }
    }

    private static void AddTo(float* dst, Vector<float> v) => *(Vector<float>*)dst += v;

    private static void ScaleC(int m, int n, float beta, float* c, int ldc)
    {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0f) row.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }

    /// <summary>Transposes a (rows x cols, leading dimension ld) matrix into a packed (cols x rows) one.</summary>
    private static float[] Pack(float* src, int ld, int rows, int cols)
    {
        var dst = GC.AllocateUninitializedArray<float>(rows * cols);
        for (int r = 0; r < rows; r++)
        {
            float* s = src + (long)r * ld;
            for (int col = 0; col < cols; col++) dst[(long)col * rows + r] = s[col];
        }
        return dst;
    }
}
