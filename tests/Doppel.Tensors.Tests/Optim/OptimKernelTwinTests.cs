using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Tensors.Tests;

/// <summary>
/// The optimiser kernels' three twins (16 lanes, 8 lanes, scalar) give bit-identical results at
/// lengths around the vector widths (empty, shorter than a vector, one vector +- 1, several plus a
/// tail) and at a length split across the cores (2 x 64 K + 3). Bit-identical, not merely close:
/// the twins do the same IEEE operations in the same order, so any difference is a bug.
/// </summary>
public sealed class OptimKernelTwinTests
{
    public static readonly TheoryData<int> Lengths = new() { 0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 65, 100, (1 << 17) + 3 };

    private static readonly SimdWidth[] Widths = [SimdWidth.Scalar, SimdWidth.Vector256, SimdWidth.Vector512];

    private static float[] Random(Rng rng, int n, float scale)
    {
        var a = new float[n];
        rng.FillNormal(a, 0f, scale);
        return a;
    }

    private static void AssertBitwiseEqual(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}[{i}]: {actual[i]:R} vs scalar twin {expected[i]:R}");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Adam_twins_agree_bit_for_bit(int n)
    {
        foreach (double weightDecay in new[] { 0.0, 0.1 })
        {
            var rng = new Rng(1000 + (ulong)n);
            var p0 = Random(rng, n, 1f);
            var m0 = Random(rng, n, 0.1f);
            var v0 = Random(rng, n, 0.01f).Select(MathF.Abs).ToArray();
            var grads = Enumerable.Range(0, 3).Select(_ => Random(rng, n, 0.5f)).ToArray();
            if (n > 3) grads[0][3] = 1e-9f; // where eps dominates
            float[]? refP = null, refM = null, refV = null;
            foreach (var width in Widths)
            {
                float[] p = (float[])p0.Clone(), m = (float[])m0.Clone(), v = (float[])v0.Clone();
                for (int t = 1; t <= grads.Length; t++)
                    AdamKernel.Update(width, p, grads[t - 1], m, v, AdamStep.For(1e-2f, 0.9f, 0.999f, 1e-8f, t, weightDecay));
                if (refP is null) { refP = p; refM = m; refV = v; continue; }
                AssertBitwiseEqual(refP, p, $"{width} wd {weightDecay} p");
                AssertBitwiseEqual(refM!, m, $"{width} wd {weightDecay} m");
                AssertBitwiseEqual(refV!, v, $"{width} wd {weightDecay} v");
            }
            if (n > 0) Assert.NotEqual(p0, refP); // the update did something
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Sgd_twins_agree_bit_for_bit(int n)
    {
        var modes = new[]
        {
            new SgdStep(0.1f, 0f, 0f, false),
            new SgdStep(0.1f, 0.9f, 0f, false),
            new SgdStep(0.05f, 0.9f, 1e-2f, true),
            new SgdStep(0.05f, 0f, 1e-2f, true), // Nesterov without momentum: plain SGD with decay
        };
        foreach (var mode in modes)
        {
            var rng = new Rng(2000 + (ulong)n);
            var p0 = Random(rng, n, 1f);
            var b0 = Random(rng, n, 0.1f);
            var grads = Enumerable.Range(0, 3).Select(_ => Random(rng, n, 0.5f)).ToArray();
            float[]? refP = null, refB = null;
            foreach (var width in Widths)
            {
                float[] p = (float[])p0.Clone(), b = (float[])b0.Clone();
                foreach (var g in grads) SgdKernel.Update(width, p, g, b, mode);
                if (refP is null) { refP = p; refB = b; continue; }
                AssertBitwiseEqual(refP, p, $"{width} {mode} p");
                AssertBitwiseEqual(refB!, b, $"{width} {mode} buffer");
            }
            if (mode.Momentum == 0) Assert.Equal(b0, refB); // momentum 0 leaves the buffer alone
        }
    }

    /// <summary>The scalar twin against the formula written out in double, so the twins are not merely equal but right.</summary>
    [Fact]
    public void Scalar_twins_follow_the_formulas()
    {
        const int n = 19;
        var rng = new Rng(3000);
        var p = Random(rng, n, 1f);
        var g = Random(rng, n, 0.5f);
        var m = Random(rng, n, 0.1f);
        var v = Random(rng, n, 0.01f).Select(MathF.Abs).ToArray();
        var (p1, m1, v1) = ((float[])p.Clone(), (float[])m.Clone(), (float[])v.Clone());
        const int t = 4;
        AdamKernel.ScalarRun(p1, g, m1, v1, AdamStep.For(1e-2f, 0.9f, 0.99f, 1e-3f, t, 0.1), 0, n);
        for (int i = 0; i < n; i++)
        {
            double b1 = 0.9f, b2 = 0.99f;
            double mi = b1 * m[i] + (1 - b1) * g[i], vi = b2 * v[i] + (1 - b2) * g[i] * g[i];
            double pi = p[i] * (1 - 1e-2f * 0.1) - 1e-2f / (1 - Math.Pow(b1, t)) * mi / (Math.Sqrt(vi) / Math.Sqrt(1 - Math.Pow(b2, t)) + 1e-3f);
            Assert.Equal(mi, m1[i], 1e-6 * (1 + Math.Abs(mi)));
            Assert.Equal(vi, v1[i], 1e-6 * (1 + Math.Abs(vi)));
            Assert.Equal(pi, p1[i], 1e-6 * (1 + Math.Abs(pi)));
        }

        var buf = Random(rng, n, 0.1f);
        var (p2, b2s) = ((float[])p.Clone(), (float[])buf.Clone());
        SgdKernel.ScalarRun(p2, g, b2s, new SgdStep(0.05f, 0.9f, 1e-2f, Nesterov: true), 0, n);
        for (int i = 0; i < n; i++)
        {
            double d = g[i] + 1e-2f * (double)p[i];
            double b = 0.9f * (double)buf[i] + d;
            double pi = p[i] - 0.05f * (d + 0.9f * b);
            Assert.Equal(b, b2s[i], 1e-6 * (1 + Math.Abs(b)));
            Assert.Equal(pi, p2[i], 1e-6 * (1 + Math.Abs(pi)));
        }
    }

    /// <summary>The optimisers pick the kernel width from their internal switch: whole runs agree across widths.</summary>
    [Fact]
    public void Optimisers_agree_across_widths()
    {
        foreach (var make in new Func<IEnumerable<(string, Tensor)>, Optimizer>[]
                 {
                     ps => new Adam(ps, 1e-2f),
                     ps => new AdamW(ps, 1e-2f, weightDecay: 0.1f),
                     ps => new Sgd(ps, 0.1f, momentum: 0.9f, nesterov: true, weightDecay: 1e-2f),
                 })
        {
            float[]? reference = null;
            foreach (var width in Widths)
            {
                var p = Tensor.Parameter(Tensor.FromArray(Enumerable.Range(0, 45).Select(i => MathF.Sin(i)).ToArray(), 45), "p");
                var opt = make([("p", p)]);
                switch (opt)
                {
                    case Adam a: a.Width = width; break;
                    case AdamW a: a.Width = width; break;
                    case Sgd s: s.Width = width; break;
                }
                for (int t = 0; t < 4; t++)
                {
                    p.AccumulateGrad(p.Data.Select(x => x * x - 0.3f).ToArray());
                    opt.StepAndZeroGrad();
                }
                if (reference is null) reference = p.ToArray();
                else AssertBitwiseEqual(reference, p.ToArray(), $"{opt.GetType().Name} {width}");
                p.Dispose();
            }
        }
    }
}
