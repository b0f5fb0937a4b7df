using Doppel.Tensors.Kernels;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>
/// Tests that change process-wide engine state (<see cref="Gemm.ForceManaged"/>) or measure it
/// (<see cref="BufferPool.PooledFloats"/>). xUnit runs this collection alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalStateCollection
{
    public const string Name = "global engine state";
}

/// <summary>Runs a block with the managed GEMM forced on (or off), restoring the previous setting.</summary>
internal static class Backend
{
    public static void With(bool managed, Action body)
    {
        bool previous = Gemm.ForceManaged;
        Gemm.ForceManaged = managed;
        try { body(); }
        finally { Gemm.ForceManaged = previous; }
    }
}

/// <summary>Skipped, with the reason, when OpenBLAS did not load (not installed, or DOPPEL_NO_BLAS=1).</summary>
public sealed class OpenBlasFactAttribute : FactAttribute
{
    public OpenBlasFactAttribute()
    {
        if (!OpenBlas.IsAvailable)
            Skip = "OpenBLAS is not available (libopenblas.so.0 not found, or DOPPEL_NO_BLAS=1): only the managed GEMM was tested";
    }
}

/// <summary>
/// Both GEMM back ends against a naive triple loop in double: all four transpose combinations,
/// awkward sizes around the 4-row and 2-vector register blocks and the 256-deep k block,
/// padded leading dimensions, and alpha/beta in {0, 1, 0.5}.
/// </summary>
[Collection(GlobalStateCollection.Name)]
public sealed class GemmTests
{
    private static readonly int[] Sizes = [0, 1, 7, 8, 9, 15, 16, 17, 33, 63, 64, 65];
    private static readonly float[] Scalars = [0f, 1f, 0.5f];

    /// <summary>A deterministic sample of (m, n, k) that covers every size in each position.</summary>
    private static IEnumerable<(int M, int N, int K)> SampledSizes(ulong seed)
    {
        var rng = new Rng(seed);
        for (int i = 0; i < Sizes.Length; i++)
        {
            yield return (Sizes[i], Sizes[rng.Next(Sizes.Length)], Sizes[rng.Next(Sizes.Length)]);
            yield return (Sizes[rng.Next(Sizes.Length)], Sizes[i], Sizes[rng.Next(Sizes.Length)]);
            yield return (Sizes[rng.Next(Sizes.Length)], Sizes[rng.Next(Sizes.Length)], Sizes[i]);
        }
        yield return (65, 65, 300); // k beyond one 256-deep block
        yield return (5, 3, 513);
    }

    private static void CheckAgainstNaive(bool transA, bool transB, ulong seed)
    {
        var rng = new Rng(seed);
        int cases = 0;
        foreach (var (m, n, k) in SampledSizes(seed))
        {
            float alpha = Scalars[rng.Next(3)], beta = Scalars[rng.Next(3)];
            // Stored shapes of A and B, with leading dimensions padded by 0..3 columns.
            int aRows = transA ? k : m, aCols = transA ? m : k;
            int bRows = transB ? n : k, bCols = transB ? k : n;
            int lda = aCols + rng.Next(4), ldb = bCols + rng.Next(4), ldc = n + rng.Next(4);
            var a = new float[Math.Max(0, aRows * lda)];
            var b = new float[Math.Max(0, bRows * ldb)];
            var c = new float[Math.Max(0, m * ldc)];
            rng.FillUniform(a, -1, 1);
            rng.FillUniform(b, -1, 1);
            rng.FillUniform(c, -1, 1);
            // Padding in C must survive; with beta = 0 the old contents must not leak in, even NaN.
            for (int i = 0; i < m; i++)
                for (int j = 0; j < ldc; j++)
                    if (j >= n) c[i * ldc + j] = 12345f;
                    else if (beta == 0f && (i + j) % 5 == 0) c[i * ldc + j] = float.NaN;
            var original = (float[])c.Clone();

            Gemm.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

            for (int i = 0; i < m; i++)
                for (int j = 0; j < ldc; j++)
                {
                    float actual = c[i * ldc + j];
                    if (j >= n)
                    {
                        Assert.True(actual == 12345f, $"gemm wrote into C's padding at ({i}, {j})");
                        continue;
                    }
                    double sum = 0, magnitude = 0;
                    for (int p = 0; p < k; p++)
                    {
                        double av = transA ? a[p * lda + i] : a[i * lda + p];
                        double bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                        sum += av * bv;
                        magnitude += Math.Abs(av * bv);
                    }
                    double expected = alpha * sum + (beta == 0f ? 0 : beta * original[i * ldc + j]);
                    double tol = 1e-5 * (1 + magnitude);
                    if (!(Math.Abs(expected - actual) <= tol))
                        Assert.Fail($"{Gemm.Backend} transA={transA} transB={transB} m={m} n={n} k={k} lda={lda} ldb={ldb} ldc={ldc} alpha={alpha} beta={beta}: C[{i},{j}] = {actual}, expected {expected}");
                }
            cases++;
        }
        Assert.True(cases > 30);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Managed_gemm_matches_naive(bool transA, bool transB) =>
        Backend.With(managed: true, () =>
        {
            Assert.False(Gemm.UsesOpenBlas);
            CheckAgainstNaive(transA, transB, seed: 1000 + (ulong)(transA ? 2 : 0) + (ulong)(transB ? 1 : 0));
        });

    [OpenBlasFact]
    public void OpenBlas_gemm_matches_naive() =>
        Backend.With(managed: false, () =>
        {
            Assert.True(Gemm.UsesOpenBlas);
            Assert.StartsWith("OpenBLAS", Gemm.Backend);
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    CheckAgainstNaive(ta, tb, seed: 2000 + (ulong)(ta ? 2 : 0) + (ulong)(tb ? 1 : 0));
        });

    [Fact]
    public void Managed_is_used_when_forced_and_the_setting_is_restored()
    {
        bool before = Gemm.ForceManaged;
        Backend.With(managed: true, () => Assert.Equal("managed SIMD", Gemm.Backend));
        Assert.Equal(before, Gemm.ForceManaged);
    }

    [Fact]
    public void Too_small_buffers_and_leading_dimensions_are_rejected()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        var e = Assert.Throws<ArgumentException>(() => Gemm.Run(false, false, 2, 2, 3, 1, a, 2, b, 2, 0, c, 2));
        Assert.Contains("leading dimension 2 of A", e.Message);
        e = Assert.Throws<ArgumentException>(() => Gemm.Run(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, new float[3], 2));
        Assert.Contains("C has 3 elements", e.Message);
    }
}

/// <summary>The conv and matrix gradient checks again, on the managed GEMM (the path used when OpenBLAS is missing).</summary>
[Collection(GlobalStateCollection.Name)]
public sealed class ManagedBackendTests
{
    [Theory]
    [MemberData(nameof(ConvTests.ConvCases), MemberType = typeof(ConvTests))]
    public void Conv2d_on_the_managed_gemm(int n, int h, int w, int c, int o, int k, int stride, int pad, bool bias) =>
        Backend.With(managed: true, () => ConvTests.CheckConv(n, h, w, c, o, k, stride, pad, bias));

    [Fact]
    public void MatMul_and_linear_on_the_managed_gemm() =>
        Backend.With(managed: true, () =>
        {
            GradCheck.Assert(t => Ops.MatMul(t[0], t[1]), T.Uniform(300, -1, 1, 7, 9), T.Uniform(301, -1, 1, 9, 17));
            GradCheck.Assert(t => Ops.Linear(t[0], t[1], t[2]), T.Uniform(302, -1, 1, 5, 6), T.Uniform(303, -1, 1, 4, 6), T.Uniform(304, -1, 1, 4));
        });
}
