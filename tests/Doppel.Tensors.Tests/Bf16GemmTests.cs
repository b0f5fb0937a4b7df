using Doppel.Tensors.Kernels;
using Doppel.Tensors.Nn;

namespace Doppel.Tensors.Tests;

/// <summary>
/// bf16 products (<see cref="Gemm.Run(Precision, bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
/// with <see cref="Precision.Bf16"/>) on oneDNN and on the fallback: exactly a float32 product of the
/// bf16-rounded operands (checked against a double-precision loop over the rounded values), within
/// bfloat16's error of the float32 product, at awkward sizes, every transpose, padded leading
/// dimensions and alpha/beta in {0, 1, 0.5}.
/// </summary>
[Collection(GlobalStateCollection.Name)]
public sealed class Bf16GemmTests
{
    private static readonly int[] Sizes = [1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65];
    private static readonly float[] Scalars = [0f, 1f, 0.5f];

    private static void WithFallback(bool fallback, Action body)
    {
        bool previous = Bf16Gemm.ForceFallback;
        Bf16Gemm.ForceFallback = fallback;
        try { body(); }
        finally { Bf16Gemm.ForceFallback = previous; }
    }

    private static float Rounded(float x) => Bf16.ToFloat(Bf16.FromFloat(x));

    /// <summary>Random products; returns the largest error against fp32, relative to sum |a b|, to show the rounding happened.</summary>
    private static double Check(bool transA, bool transB, ulong seed)
    {
        var rng = new Rng(seed);
        double largestRelativeToFp32 = 0;
        for (int t = 0; t < 40; t++)
        {
            int m = Sizes[rng.Next(Sizes.Length)], n = Sizes[rng.Next(Sizes.Length)], k = t == 0 ? 700 : Sizes[rng.Next(Sizes.Length)];
            float alpha = Scalars[1 + rng.Next(2)], beta = Scalars[rng.Next(3)];
            int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
            int lda = aCols + rng.Next(3), ldb = bCols + rng.Next(3), ldc = n + rng.Next(3);
            var a = new float[aRows * lda];
            var b = new float[bRows * ldb];
            var c = new float[m * ldc];
            rng.FillUniform(a, -1, 1);
            rng.FillUniform(b, -1, 1);
            rng.FillUniform(c, -1, 1);
            for (int i = 0; i < m; i++) for (int j = n; j < ldc; j++) c[i * ldc + j] = 12345f;
            var c0 = (float[])c.Clone();
            var cFp32 = (float[])c.Clone();

            Gemm.Run(Precision.Bf16, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            Gemm.Run(Precision.Fp32, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, cFp32, ldc);

            for (int i = 0; i < m; i++)
                for (int j = 0; j < ldc; j++)
                {
                    if (j >= n)
                    {
                        Assert.True(c[i * ldc + j] == 12345f, $"bf16 gemm wrote into C's padding at ({i}, {j})");
                        continue;
                    }
                    double sum = 0, magnitude = 0;
                    for (int p = 0; p < k; p++)
                    {
                        double av = Rounded(transA ? a[p * lda + i] : a[i * lda + p]);
                        double bv = Rounded(transB ? b[j * ldb + p] : b[p * ldb + j]);
                        sum += av * bv;
                        magnitude += Math.Abs(av * bv);
                    }
                    double expected = alpha * sum + (beta == 0f ? 0 : beta * c0[i * ldc + j]);
                    float actual = c[i * ldc + j];
                    string where = $"{Gemm.Bf16Backend} transA={transA} transB={transB} m={m} n={n} k={k} lda={lda} ldb={ldb} ldc={ldc} alpha={alpha} beta={beta}: C[{i},{j}]";
                    // Products of bf16 values are exact in float32; only float32's summation error is left.
                    if (!(Math.Abs(expected - actual) <= 1e-5 * (1 + magnitude)))
                        Assert.Fail($"{where} = {actual}, expected {expected} (float32 sum of the bf16-rounded products)");
                    // Against float32 on the raw operands: bf16 keeps 8 significant bits, so each rounding is off by at
                    // most 2^-8 relative (half a unit in the last place) and each product by 2^-7 (two roundings).
                    double error = Math.Abs(actual - cFp32[i * ldc + j]);
                    if (!(error <= alpha * magnitude * Math.Pow(2, -7) * 1.01 + 1e-5 * (1 + magnitude)))
                        Assert.Fail($"{where} = {actual}, float32 gives {cFp32[i * ldc + j]}: more than bfloat16's error apart");
                    if (magnitude > 0) largestRelativeToFp32 = Math.Max(largestRelativeToFp32, error / (alpha * magnitude));
                }
        }
        return largestRelativeToFp32;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void IsTheFloat32ProductOfTheRoundedOperands(bool transA, bool transB)
    {
        foreach (bool fallback in new[] { false, true })
            WithFallback(fallback, () =>
            {
                double relative = Check(transA, transB, (ulong)(transA ? 2 : 0) + (transB ? 1UL : 0) + (fallback ? 10UL : 0));
                // The operands really were rounded: float32 on the raw values differs by about bf16's precision.
                Assert.True(relative > 1e-4, $"{Gemm.Bf16Backend}: largest difference from float32 is only {relative:G3} of the magnitude");
            });
    }

    [Fact]
    public void OneDnnRunsWhereItLoads()
    {
        if (!OneDnn.IsAvailable) return; // the fallback is what runs, and is tested above
        Assert.StartsWith("oneDNN", Gemm.Bf16Backend);
        WithFallback(true, () => Assert.DoesNotContain("oneDNN", Gemm.Bf16Backend));
    }

    [Fact]
    public void ZeroSizesAndZeroDepthBehaveAsFloat32()
    {
        var c = new float[] { 1, 2, 3, 4 };
        Gemm.Run(Precision.Bf16, false, false, 2, 2, 0, 1f, [], 0, [], 2, 0.5f, c, 2); // k == 0: C = beta C
        Assert.Equal([0.5f, 1f, 1.5f, 2f], c);
        Gemm.Run(Precision.Bf16, false, false, 0, 2, 3, 1f, [], 3, new float[6], 2, 0f, [], 2); // m == 0: nothing
        Assert.Throws<ArgumentException>(() => Gemm.Run(Precision.Bf16, false, false, 2, 2, 2, 1f, new float[3], 2, new float[4], 2, 0f, new float[4], 2));
    }
}
