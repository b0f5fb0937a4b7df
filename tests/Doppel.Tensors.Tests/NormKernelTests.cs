using Doppel.Tensors.Kernels;
using Doppel.Tensors.Nn;

namespace Doppel.Tensors.Tests;

/// <summary>
/// The normalisation kernels' SIMD paths against their scalar twins and a float64 reference, at
/// awkward channel counts (below, at and around whole Vector&lt;float&gt;s of 8 or 16 lanes) and sizes that span several
/// L1 tiles and several threads.
/// </summary>
public sealed class NormKernelTests
{
    private static float[] Values(ulong seed, int n, float offset = 0f, float scale = 1f)
    {
        var v = new float[n];
        var rng = new Rng(seed);
        for (int i = 0; i < n; i++) v[i] = offset + scale * (float)rng.Normal();
        return v;
    }

    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 4000, 19 },   // one segment split across threads, many tiles, a 3-channel tail
        { 3, 1500, 19 },   // instance-norm-like: one segment per work item
        { 1, 3, 5 },       // fewer channels than lanes: the scalar twin alone
        { 2, 700, 16 },    // exactly one vector
        { 1, 300, 33 },    // two vectors and one channel
        { 1, 9, 4099 },    // wider than a tile: one row per tile
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Channel_moments_simd_equal_the_scalar_twin_and_match_float64(int segments, int rows, int c)
    {
        Assert.True(ChannelNorm.DefaultSimd, "no SIMD on this machine: comparing the twins would prove nothing");
        var x = Values(1, segments * rows * c, offset: 0.5f, scale: 2f);
        var (m0, q0) = Moments(x, segments, rows, c, simd: false);
        var (m1, q1) = Moments(x, segments, rows, c, simd: true);
        // Lanes are channels, so both paths do the same float operations in the same order.
        Assert.Equal(m0, m1);
        Assert.Equal(q0, q1);
        var (mean, m2) = Reference(x, segments, rows, c);
        for (int i = 0; i < mean.Length; i++)
        {
            Assert.True(Math.Abs(m1[i] - mean[i]) <= 1e-5 * Math.Sqrt(m2[i] / rows), $"mean {i}: {m1[i]} vs {mean[i]}");
            Assert.True(Math.Abs(q1[i] - m2[i]) <= 1e-5 * m2[i], $"M2 {i}: {q1[i]} vs {m2[i]}");
        }
    }

    [Fact]
    public void Channel_variance_survives_a_large_mean()
    {
        // mean 1000, standard deviation 1: E[x^2] - E[x]^2 in float would lose every digit.
        var x = Values(2, 5000 * 19, offset: 1000f, scale: 1f);
        var (m, q) = Moments(x, 1, 5000, 19, ChannelNorm.DefaultSimd);
        var (mean, m2) = Reference(x, 1, 5000, 19);
        for (int i = 0; i < 19; i++)
        {
            Assert.True(Math.Abs(m[i] - mean[i]) <= 1e-5, $"mean {i}: {m[i]} vs {mean[i]}");
            Assert.True(Math.Abs(q[i] / m2[i] - 1) <= 1e-5, $"variance {i}: {q[i] / 5000} vs {m2[i] / 5000}");
        }
    }

    [Fact]
    public void Channel_variance_survives_an_outlier_in_the_first_row()
    {
        var x = Values(3, 5000 * 19);
        for (int ch = 0; ch < 19; ch++) x[ch] = 500f;
        var (_, q) = Moments(x, 1, 5000, 19, ChannelNorm.DefaultSimd);
        var (_, m2) = Reference(x, 1, 5000, 19);
        for (int i = 0; i < 19; i++) Assert.True(Math.Abs(q[i] / m2[i] - 1) <= 1e-5, $"variance {i}: {q[i] / 5000} vs {m2[i] / 5000}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Channel_passes_simd_equal_the_scalar_twin(int segments, int rows, int c)
    {
        int n = segments * rows * c, p = segments * c;
        float[] x = Values(3, n), g = Values(4, n), center = Values(5, p), scale = Values(6, p), shift = Values(7, p);
        float[] a = Values(8, p), b = Values(9, p), k = Values(10, p);
        float[] y0 = new float[n], y1 = new float[n];
        ChannelNorm.Normalize(x, y0, segments, rows, c, center, scale, shift, simd: false);
        ChannelNorm.Normalize(x, y1, segments, rows, c, center, scale, shift, simd: true);
        Assert.Equal(y0, y1);
        for (int i = 0; i < n; i += 97)
        {
            int q = i / c / rows * c + i % c;
            Assert.Equal(MathF.FusedMultiplyAdd(x[i] - center[q], scale[q], shift[q]), y1[i]);
        }

        double[] g0 = new double[p], gx0 = new double[p], g1 = new double[p], gx1 = new double[p];
        ChannelNorm.GradSums(g, x, segments, rows, c, center, g0, gx0, simd: false);
        ChannelNorm.GradSums(g, x, segments, rows, c, center, g1, gx1, simd: true);
        Assert.Equal(g0, g1);
        Assert.Equal(gx0, gx1);
        for (int q = 0; q < p; q++)
        {
            double sg = 0, sgx = 0, abs = 0;
            for (int r = 0; r < rows; r++)
            {
                int i = (q / c * rows + r) * c + q % c;
                sg += g[i];
                sgx += g[i] * ((double)x[i] - center[q]);
                abs += Math.Abs(g[i] * ((double)x[i] - center[q]));
            }
            Assert.True(Math.Abs(g1[q] - sg) <= 1e-6 * rows, $"sum g {q}: {g1[q]} vs {sg}");
            Assert.True(Math.Abs(gx1[q] - sgx) <= 1e-6 * abs, $"sum g x {q}: {gx1[q]} vs {sgx}");
        }

        foreach (bool accumulate in new[] { false, true })
        {
            float[] d0 = Values(11, n), d1 = (float[])d0.Clone();
            ChannelNorm.InputGrad(g, x, d0, accumulate, segments, rows, c, center, a, b, k, simd: false);
            ChannelNorm.InputGrad(g, x, d1, accumulate, segments, rows, c, center, a, b, k, simd: true);
            Assert.Equal(d0, d1);
        }
    }

    [Theory]
    [InlineData(7, 5)]
    [InlineData(5, 16)]
    [InlineData(40, 19)]
    [InlineData(3000, 35)] // enough rows for two threads and several tiles
    public void Row_norm_simd_matches_the_scalar_twin(int rows, int d)
    {
        int n = rows * d;
        float[] x = Values(12, n, offset: 3f, scale: 2f), g = Values(13, n), w = Values(14, d), b = Values(15, d);
        float[] mean0 = new float[rows], inv0 = new float[rows], mean1 = new float[rows], inv1 = new float[rows];
        float[] y0 = new float[n], y1 = new float[n];
        RowNorm.Forward(x, y0, rows, d, w, b, 1e-5f, mean0, inv0, simd: false);
        RowNorm.Forward(x, y1, rows, d, w, b, 1e-5f, mean1, inv1, simd: true);
        // The row sums run in vector lanes or in one: the same values up to float rounding.
        AssertClose(y0, y1, 1e-5, "y");
        AssertClose(inv0, inv1, 1e-5, "1 / sigma");
        float[] dx0 = Values(16, n), dx1 = (float[])dx0.Clone();
        double[] dw0 = new double[d], db0 = new double[d], dw1 = new double[d], db1 = new double[d];
        RowNorm.Backward(g, x, rows, d, w, mean0, inv0, dx0, true, dw0, db0, simd: false);
        RowNorm.Backward(g, x, rows, d, w, mean0, inv0, dx1, true, dw1, db1, simd: true);
        AssertClose(dx0, dx1, 1e-5, "dx");
        AssertClose(dw0.Select(v => (float)v).ToArray(), dw1.Select(v => (float)v).ToArray(), 1e-5, "dw");
        Assert.Equal(db0, db1); // element-wise adds only
    }

    private static void AssertClose(float[] expected, float[] actual, double tol, string what)
    {
        double scale = expected.Max(v => Math.Abs(v));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * scale, $"{what} {i}: {actual[i]} vs {expected[i]}");
    }

    private static (double[] Mean, double[] M2) Moments(float[] x, int segments, int rows, int c, bool simd)
    {
        var mean = new double[segments * c];
        var m2 = new double[segments * c];
        ChannelNorm.Moments(x, segments, rows, c, mean, m2, simd);
        return (mean, m2);
    }

    private static (double[] Mean, double[] M2) Reference(float[] x, int segments, int rows, int c)
    {
        var mean = new double[segments * c];
        var m2 = new double[segments * c];
        for (int q = 0; q < segments * c; q++)
        {
            int s = q / c, ch = q % c;
            double sum = 0;
            for (int r = 0; r < rows; r++) sum += x[(s * rows + r) * c + ch];
            double mu = sum / rows, dev = 0;
            for (int r = 0; r < rows; r++) dev += Math.Pow(x[(s * rows + r) * c + ch] - mu, 2);
            mean[q] = mu;
            m2[q] = dev;
        }
        return (mean, m2);
    }
}
