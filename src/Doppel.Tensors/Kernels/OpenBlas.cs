using System.Runtime.InteropServices;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// P/Invoke to OpenBLAS's <c>cblas_sgemm</c> (Debian <c>libopenblas0-pthread</c>). The library
/// is resolved by hand so a machine without it falls back to <see cref="ManagedGemm"/> instead
/// of failing: <see cref="IsAvailable"/> says which one runs.
/// </summary>
internal static unsafe class OpenBlas
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    private static readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm;
    private static readonly delegate* unmanaged<int, void> SetNumThreads;

    public static bool IsAvailable { get; }
    public static string? LoadedFrom { get; }

    /// <summary>The OPENBLAS_CORETYPE in force when the library loaded (null: OpenBLAS's own choice).</summary>
    public static string? CoreType { get; }

    static OpenBlas()
    {
        if (Environment.GetEnvironmentVariable("DOPPEL_NO_BLAS") == "1") return;
        CoreType = OpenBlasCoreType.Apply();
        string[] candidates =
        [
            "libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "libopenblas.so",
        ];
        foreach (string name in candidates)
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var sgemm)) continue;
            Sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
            if (NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var threads))
                SetNumThreads = (delegate* unmanaged<int, void>)threads;
            IsAvailable = true;
            LoadedFrom = name;
            return;
        }
    }

    public static void SetThreads(int n)
    {
        if (SetNumThreads != null) SetNumThreads(n);
    }

    /// <summary>C = alpha * op(A) * op(B) + beta * C, row-major.</summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        Sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
