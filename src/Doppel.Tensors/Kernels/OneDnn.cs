using System.Runtime.InteropServices;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// P/Invoke to oneDNN's BLAS-like <c>dnnl_gemm_bf16bf16f32</c> (Debian <c>libdnnl2</c>): row-major
/// C = alpha op(A) op(B) + beta C with A and B in bfloat16 and C, the accumulation and alpha/beta in
/// float32. oneDNN picks its kernel from the CPU's features at run time (AVX512-BF16's
/// <c>vdpbf16ps</c> here). Resolved by hand, like <see cref="OpenBlas"/>, and probed once with a
/// 1x1x1 product, so a machine without the library (or a CPU oneDNN has no bf16 kernel for)
/// falls back to rounding the operands and running the float32 GEMM: the same numbers, slower.
/// </summary>
internal static unsafe class OneDnn
{
    private static readonly delegate* unmanaged<byte, byte, long, long, long, float, ushort*, long, ushort*, long, float, float*, long, int> GemmBf16;

    public static bool IsAvailable { get; }
    public static string? LoadedFrom { get; }

    static OneDnn()
    {
        if (Environment.GetEnvironmentVariable("DOPPEL_NO_DNNL") == "1") return;
        foreach (string name in (string[])["libdnnl.so.2", "libdnnl.so.3", "libdnnl.so"])
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "dnnl_gemm_bf16bf16f32", out var gemm)) continue;
            GemmBf16 = (delegate* unmanaged<byte, byte, long, long, long, float, ushort*, long, ushort*, long, float, float*, long, int>)gemm;
            ushort one = Bf16.FromFloat(1f);
            float c = 0f;
            if (GemmBf16((byte)'N', (byte)'N', 1, 1, 1, 1f, &one, 1, &one, 1, 0f, &c, 1) != 0 || c != 1f) continue;
            IsAvailable = true;
            LoadedFrom = name;
            return;
        }
    }

    /// <summary>C = alpha * op(A) * op(B) + beta * C, row-major, A and B as bfloat16 bits.</summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ushort* a, int lda, ushort* b, int ldb, float beta, float* c, int ldc)
    {
        int status = GemmBf16(transA ? (byte)'T' : (byte)'N', transB ? (byte)'T' : (byte)'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        if (status != 0) throw new InvalidOperationException($"dnnl_gemm_bf16bf16f32 failed with status {status} (m={m} n={n} k={k} lda={lda} ldb={ldb} ldc={ldc})");
    }
}
