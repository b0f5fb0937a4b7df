using Doppel.Tensors.Kernels;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>
/// The vectorised, multi-threaded BCE with logits: every kernel path at lengths around the vector
/// widths and the reduction block, against a double reference written from the log-likelihood;
/// the old scalar implementation's results; large logits; thread-count independence; gradients.
/// </summary>
public sealed class BceWithLogitsTests
{
    private static readonly int[] AwkwardLengths = [0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 8191, 8192, 8193, 16385];

    /// <summary>log sigmoid(x) in double without overflow.</summary>
    private static double LogSigmoid(double x) => x >= 0 ? -Math.Log(1 + Math.Exp(-x)) : x - Math.Log(1 + Math.Exp(x));

    /// <summary>
    /// From the definition -w [p z log sigmoid(x) + (1 - z) log(1 - sigmoid(x))], mean over n, and its
    /// derivatives in x and z: dx = w (sigmoid(x) (p z + 1 - z) - p z) / n, dz = w (-p log s(x) + log s(-x)) / n.
    /// </summary>
    private static (double Loss, double[] Dx, double[] Dz) Reference(float[] x, float[] z, float[]? p, float[]? w)
    {
        int n = x.Length;
        double sum = 0;
        var dx = new double[n];
        var dz = new double[n];
        for (int i = 0; i < n; i++)
        {
            double pi = p?[i] ?? 1, wi = w?[i] ?? 1, ls = LogSigmoid(x[i]), lsNeg = LogSigmoid(-x[i]), s = Math.Exp(ls);
            sum += -wi * (pi * z[i] * ls + (1 - z[i]) * lsNeg);
            dx[i] = wi * (s * (pi * z[i] + 1 - z[i]) - pi * z[i]) / n;
            dz[i] = wi * (-pi * ls + lsNeg) / n;
        }
        return (n == 0 ? 0 : sum / n, dx, dz);
    }

    /// <summary>Logits mostly in [-12, 12], every 37th one at +-100 (no overflow anywhere).</summary>
    private static float[] Logits(int n, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i % 37 == 5 ? (rng.NextDouble() < 0.5 ? -100f : 100f) : rng.Uniform(-12f, 12f);
        return x;
    }

    private static float[] Uniform(int n, ulong seed, float lo, float hi)
    {
        var v = new float[n];
        new Rng(seed).FillUniform(v, lo, hi);
        return v;
    }

    public static TheoryData<int, bool> Paths()
    {
        var data = new TheoryData<int, bool>();
        foreach (int width in new[] { 0, 256, 512 })
        {
            data.Add(width, false);
            data.Add(width, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_kernel_path_matches_the_reference_at_awkward_lengths(int width, bool weighted) => KernelSwitch.Bce(width, () =>
    {
        foreach (int n in AwkwardLengths)
        {
            var x = Logits(n, (ulong)n + 1);
            var z = Uniform(n, (ulong)n + 2, 0, 1);
            float[]? p = weighted ? Uniform(n, (ulong)n + 3, 0.5f, 3f) : null;
            float[]? w = weighted ? Uniform(n, (ulong)n + 4, 0.1f, 2f) : null;
            var (loss, rdx, rdz) = Reference(x, z, p, w);
            using var scope = TensorScope.Begin();
            var tx = T.Leaf(x, n);
            var tz = T.Leaf(z, n);
            var result = Ops.BceWithLogits(tx, tz, weighted ? Tensor.FromArray(w, n) : null, weighted ? Tensor.FromArray(p, n) : null);
            Assert.True(Math.Abs(result.Item() - loss) <= 1e-6 * Math.Max(1, Math.Abs(loss)), $"n={n} width={width}: loss {result.Item():G9}, reference {loss:G9}");
            if (n == 0)
            {
                Assert.Equal(0f, result.Item());
                continue;
            }
            result.Backward();
            // float32 sigmoid and exp per element: 1e-6 of the gradient's scale (~1/n).
            AssertScaled(rdx, tx.Grad!.Data, 1e-6, $"dx n={n} width={width}");
            AssertScaled(rdz, tz.Grad!.Data, 1e-6, $"dz n={n} width={width}");
        }
    });

    /// <summary>|actual - expected| &lt;= tol * max |expected| for every element.</summary>
    private static void AssertScaled(double[] expected, float[] actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(actual[i] - expected[i]) <= tol * scale))
                Assert.Fail($"{what}: element {i} is {actual[i]:G9}, expected {expected[i]:G9} (scale {scale:G3})");
    }

    /// <summary>The implementation this one replaced (a scalar loop summing in double), for the swap trainer's mask loss.</summary>
    private static (double Loss, float[] Dx, float[] Dz) Previous(float[] x, float[] z)
    {
        int n = x.Length;
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.Max(x[i], 0f) - x[i] * z[i] + Math.Log(1.0 + Math.Exp(-Math.Abs(x[i])));
        float scale = 1f / Math.Max(1, n);
        var dx = new float[n];
        var dz = new float[n];
        for (int i = 0; i < n; i++)
        {
            dx[i] = (1f / (1f + MathF.Exp(-x[i])) - z[i]) * scale;
            dz[i] = -x[i] * scale;
        }
        return ((float)(sum / Math.Max(1, n)), dx, dz);
    }

    [Fact]
    public void The_two_argument_call_gives_what_the_scalar_version_gave()
    {
        // A mask-sized batch, 2 x 64 x 64 x 1: half the logits uncertain with soft targets, half
        // confidently right (|x| in [8, 24], hard targets), as a trained mask's are; there each
        // term is ~exp(-|x|) and only an accurate log1p keeps it.
        const int n = 2 * 64 * 64;
        var x = Uniform(n, 11, -9, 9);
        var z = Uniform(n, 12, 0, 1);
        var rng = new Rng(13);
        for (int i = 0; i < n; i += 2)
        {
            bool positive = rng.NextDouble() < 0.5;
            x[i] = rng.Uniform(8, 24) * (positive ? 1 : -1);
            z[i] = positive ? 1 : 0;
        }
        var (loss, dx, dz) = Previous(x, z);
        using var scope = TensorScope.Begin();
        var tx = T.Leaf(x, 2, 64, 64, 1);
        var tz = T.Leaf(z, 2, 64, 64, 1);
        var result = Ops.BceWithLogits(tx, tz);
        Assert.True(Math.Abs(result.Item() - loss) <= 5e-7 * loss, $"{result.Item():G9} vs {loss:G9}");
        // The confident half alone: tiny terms, still equal to within float rounding.
        var confident = Enumerable.Range(0, n / 2).Select(i => 2 * i).ToArray();
        float[] xc = confident.Select(i => x[i]).ToArray(), zc = confident.Select(i => z[i]).ToArray();
        double small = Previous(xc, zc).Loss;
        Assert.InRange(small, 1e-9, 1e-4);
        float got = Ops.BceWithLogits(Tensor.FromArray(xc, xc.Length), Tensor.FromArray(zc, zc.Length)).Item();
        Assert.True(Math.Abs(got - small) <= 1e-6 * small, $"confident half: {got:G9} vs {small:G9}");
        result.Backward();
        // Each element: a float32 sigmoid either way, so at most a few ulp of 1/n apart.
        Assert.True(T.MaxAbsDiff(tx.Grad!.Span, dx) <= 4e-7f / n, $"dx differs by {T.MaxAbsDiff(tx.Grad!.Span, dx):G3}");
        Assert.True(T.MaxAbsDiff(tz.Grad!.Span, dz) <= 1e-7f * 9 / n, $"dz differs by {T.MaxAbsDiff(tz.Grad!.Span, dz):G3}");
    }

    [Fact]
    public void Logits_of_a_hundred_give_exact_finite_losses_and_gradients()
    {
        // x = 100 or -100 with hard targets: each term is 0 or |x| exactly; with pos_weight 2.5 the
        // positive term is scaled (x = -100, z = 1: 2.5 * 100).
        var x = T.Leaf([100f, -100f, 100f, -100f], 4);
        var z = T.Leaf([1f, 0f, 0f, 1f], 4);
        var p = Tensor.Full(2.5f, 4);
        var loss = Ops.BceWithLogits(x, z, posWeight: p);
        Assert.Equal((0 + 0 + 100 + 250) / 4.0, loss.Item(), 4);
        loss.Backward();
        // dl/dx = (1 + (p - 1) z) sigmoid(x) - p z: 0, 0, 1, -2.5, over n = 4.
        T.AssertClose([0, 0, 0.25, -0.625], x.Grad!.Span, 1e-6, "dx");
        Assert.All(z.Grad!.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void The_result_does_not_depend_on_the_thread_count()
    {
        // Five reduction blocks and a tail: the partial sums are added in block order either way.
        int n = 5 * 8192 + 3, saved = Par.Threads;
        var x = Logits(n, 21);
        var z = Uniform(n, 22, 0, 1);
        float one, two;
        try
        {
            Par.Threads = 1;
            one = Ops.BceWithLogits(Tensor.FromArray(x, n), Tensor.FromArray(z, n)).Item();
            Par.Threads = 2;
            two = Ops.BceWithLogits(Tensor.FromArray(x, n), Tensor.FromArray(z, n)).Item();
        }
        finally { Par.Threads = saved; }
        Assert.Equal(one, two);
        Assert.Equal(Reference(x, z, null, null).Loss, one, 5);
    }

    [Fact]
    public void Gradient_check_with_broadcast_weight_and_per_class_pos_weight_all_trained()
    {
        var x = T.Uniform(240, -4, 4, 3, 5);
        var z = T.Uniform(241, 0, 1, 3, 5);
        var w = T.Uniform(242, 0.2f, 2f, 3, 1);  // one weight per row
        var p = T.Uniform(243, 0.5f, 3f, 5);     // one pos_weight per class (last axis)
        GradCheck.Assert(v => Ops.BceWithLogits(v[0], v[1], v[2], v[3]), x, z, w, p);
        GradCheck.Assert(v => Ops.BceWithLogits(v[0], v[1], weight: v[2]), x, z, T.Uniform(244, 0.2f, 2f, 3, 5));
        GradCheck.Assert(v => Ops.BceWithLogits(v[0], v[1], posWeight: v[2]), x, z.Const(), p);
    }

    [Fact]
    public void Broadcast_weights_equal_their_expanded_form()
    {
        var x = T.Uniform(250, -4, 4, 2, 3, 4).Const();
        var z = T.Uniform(251, 0, 1, 2, 3, 4).Const();
        var w = T.Uniform(252, 0.2f, 2f, 2, 1, 1).Const();
        var p = T.Uniform(253, 0.5f, 3f, 4).Const();
        var wFull = Ops.Mul(w, Tensor.Ones(2, 3, 4));
        var pFull = Ops.Mul(p, Tensor.Ones(2, 3, 4));
        Assert.Equal(Ops.BceWithLogits(x, z, wFull, pFull).Item(), Ops.BceWithLogits(x, z, w, p).Item(), 6);
    }

    [Fact]
    public void A_weight_that_does_not_broadcast_is_refused()
    {
        var x = Tensor.Zeros(3, 5);
        var e = Assert.Throws<ShapeMismatchException>(() => Ops.BceWithLogits(x, Tensor.Zeros(3, 5), weight: Tensor.Ones(4)));
        Assert.Contains("bce_with_logits (weight)", e.Message);
        // pos_weight (1, 5, 1) broadcasts to (1, 5, 5) but not to (3, 5): refused, not silently enlarged.
        Assert.Throws<ShapeMismatchException>(() => Ops.BceWithLogits(x, Tensor.Zeros(3, 5), posWeight: Tensor.Ones(1, 5, 1)));
        Assert.Throws<ShapeMismatchException>(() => Ops.BceWithLogits(x, Tensor.Zeros(5, 3)));
    }
}
