using Doppel.Tensors.Autograd;
using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>
/// Finite-difference gradient checks of the element-wise, reduction, shape and matrix ops, and
/// two tests that prove the checker itself fails on a wrong gradient.
/// </summary>
public sealed class GradCheckTests
{
    // ---- the checker can fail -------------------------------------------------------------

    /// <summary>x^2 with a deliberately wrong backward (2.1 x instead of 2 x).</summary>
    private static Tensor WrongSquare(Tensor x)
    {
        var y = Tensor.Empty((int[])x.Shape.Clone());
        for (int i = 0; i < x.Size; i++) y.Data[i] = x.Data[i] * x.Data[i];
        return OpRecorder.Record(y, "wrong_square", [x], g => x.AccumulateGrad(g.Data.Select((v, i) => 2.1f * x.Data[i] * v).ToArray()));
    }

    [Fact]
    public void Checker_catches_an_op_with_a_wrong_backward()
    {
        var x = T.Uniform(1, -1, 1, 3, 4);
        var report = new GradCheck().Run(t => WrongSquare(t[0]), x);
        Assert.False(report.Passed);
        Assert.NotEmpty(report.Mismatches);
        var error = Assert.ThrowsAny<Exception>(report.ThrowIfFailed);
        Assert.Contains("finite difference", error.Message);
    }

    [Fact]
    public void Checker_catches_a_gradient_tampered_in_one_element_by_five_percent()
    {
        var a = T.Uniform(2, -1, 1, 2, 3, 4);
        var b = T.Uniform(3, -1, 1, 4);
        Func<Tensor[], Tensor> f = t => Ops.Mul(t[0], t[1]);
        Assert.True(new GradCheck().Run(f, a, b).Passed);
        var report = new GradCheck { Tamper = (input, g) => { if (input == 1) g[2] *= 1.05f; } }.Run(f, a, b);
        var m = Assert.Single(report.Mismatches);
        Assert.Equal((1, 2), (m.Input, m.Index));
    }

    [Fact]
    public void Checker_refuses_a_vacuous_check()
    {
        // relu of negative inputs has an all-zero gradient: passing it would prove nothing.
        var x = T.Uniform(4, -2, -1, 5);
        var report = new GradCheck().Run(t => Ops.Relu(t[0]), x);
        Assert.False(report.Passed);
        Assert.Contains(report.Problems, p => p.Contains("all-zero"));
    }

    // ---- element-wise binary ops with broadcasting ----------------------------------------

    public static TheoryData<string, int[], int[]> BinaryCases()
    {
        var data = new TheoryData<string, int[], int[]>();
        int[][][] shapes =
        [
            [[2, 3, 4], [2, 3, 4]],           // same shape
            [[2, 3, 4, 5], [5]],              // bias-like [C] vs NHWC
            [[5], [2, 3, 4, 5]],
            [[2, 3, 4, 5], [2, 1, 1, 1]],     // per-image scale [N,1,1,1]
            [[2, 1, 1, 1], [2, 3, 4, 5]],
            [[3, 1], [1, 4]],                 // both broadcast
            [[2, 3, 4], []],                  // scalar tensor
        ];
        foreach (string op in new[] { "add", "sub", "mul", "div" })
            foreach (var s in shapes) data.Add(op, s[0], s[1]);
        return data;
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary_ops_with_broadcasting(string op, int[] aShape, int[] bShape)
    {
        var a = T.Uniform(10, -1, 1, aShape);
        // Divisors stay away from zero so 1/b is smooth over the finite-difference step.
        var b = op == "div" ? T.AwayFromZero(11, 0.5f, 2f, bShape) : T.Uniform(11, -1, 1, bShape);
        Func<Tensor, Tensor, Tensor> f = op switch
        {
            "add" => Ops.Add,
            "sub" => Ops.Sub,
            "mul" => Ops.Mul,
            _ => Ops.Div,
        };
        GradCheck.Assert(t => f(t[0], t[1]), a, b);
    }

    [Fact]
    public void Binary_op_with_one_constant_operand_leaves_it_without_grad()
    {
        var a = T.Uniform(12, -1, 1, 2, 3, 4);
        var b = T.AwayFromZero(13, 0.5f, 2, 4).Const();
        GradCheck.Assert(t => Ops.Div(t[1], t[0]), b, T.AwayFromZero(14, 0.5f, 2, 2, 3, 4));
        GradCheck.Assert(t => Ops.Mul(t[0], t[1]), a, b);
        Assert.Null(b.Grad);
    }

    // ---- scalar and unary ops --------------------------------------------------------------

    [Fact]
    public void Scalar_ops()
    {
        var x = T.Uniform(20, -1, 1, 3, 5);
        GradCheck.Assert(t => Ops.Add(t[0], 0.7f), x);
        GradCheck.Assert(t => Ops.Sub(t[0], 0.3f), x);
        GradCheck.Assert(t => Ops.Mul(t[0], -1.7f), x);
        GradCheck.Assert(t => Ops.Affine(t[0], 2.5f, -0.5f), x);
        GradCheck.Assert(t => Ops.Neg(t[0]), x);
        GradCheck.Assert(t => Ops.RSub(1f, t[0]), x);
    }

    [Theory]
    [InlineData("abs")]
    [InlineData("square")]
    [InlineData("exp")]
    [InlineData("log")]
    [InlineData("sqrt")]
    [InlineData("relu")]
    [InlineData("leaky_relu")]
    [InlineData("leaky_relu_0.2")]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    public void Unary_ops(string op)
    {
        // Inputs avoid the kink at 0 (abs, relu) and stay in the domain of log and sqrt.
        var x = op switch
        {
            "log" or "sqrt" => T.Uniform(30, 0.5f, 3f, 2, 3, 5),
            "exp" or "sigmoid" or "tanh" or "square" => T.Uniform(31, -2f, 2f, 2, 3, 5),
            _ => T.AwayFromZero(32, 0.1f, 2f, 2, 3, 5),
        };
        Func<Tensor, Tensor> f = op switch
        {
            "abs" => Ops.Abs,
            "square" => Ops.Square,
            "exp" => Ops.Exp,
            "log" => Ops.Log,
            "sqrt" => Ops.Sqrt,
            "relu" => Ops.Relu,
            "leaky_relu" => v => Ops.LeakyRelu(v),
            "leaky_relu_0.2" => v => Ops.LeakyRelu(v, 0.2f),
            "sigmoid" => Ops.Sigmoid,
            _ => Ops.Tanh,
        };
        GradCheck.Assert(t => f(t[0]), x);
    }

    [Fact]
    public void Unary_forward_values()
    {
        float[] v = [-2f, -0.5f, 0.25f, 1.5f];
        var x = Tensor.FromArray(v, 4);
        T.AssertClose(v.Select(a => (double)Math.Abs(a)).ToArray(), Ops.Abs(x).Span, 1e-6, "abs");
        T.AssertClose(v.Select(a => (double)Math.Max(a, 0)).ToArray(), Ops.Relu(x).Span, 1e-6, "relu");
        T.AssertClose(v.Select(a => a > 0 ? a : 0.1 * a).ToArray(), Ops.LeakyRelu(x, 0.1f).Span, 1e-6, "leaky_relu");
        T.AssertClose(v.Select(a => 1 / (1 + Math.Exp(-a))).ToArray(), Ops.Sigmoid(x).Span, 1e-6, "sigmoid");
        T.AssertClose(v.Select(a => Math.Tanh(a)).ToArray(), Ops.Tanh(x).Span, 1e-6, "tanh");
        T.AssertClose(v.Select(a => Math.Exp(a)).ToArray(), Ops.Exp(x).Span, 1e-6, "exp");
        T.AssertClose(v.Select(a => (double)a * a).ToArray(), Ops.Square(x).Span, 1e-6, "square");
    }

    // ---- reductions -------------------------------------------------------------------------

    [Fact]
    public void Sum_and_mean_of_everything()
    {
        var x = T.Uniform(40, -1, 1, 2, 3, 4);
        GradCheck.Assert(t => Ops.Sum(t[0]), x);
        GradCheck.Assert(t => Ops.Mean(t[0]), x);
        Assert.Equal(x.Data.Sum(), Ops.Sum(x).Item(), 4);
        Assert.Equal(x.Data.Average(), Ops.Mean(x).Item(), 5);
    }

    [Theory]
    [InlineData(new[] { 1 }, false)]
    [InlineData(new[] { 1 }, true)]
    [InlineData(new[] { 0, 2 }, false)]
    [InlineData(new[] { 0, 2 }, true)]
    [InlineData(new[] { -1 }, false)]
    [InlineData(new[] { 1, 2 }, true)]
    [InlineData(new[] { 0, 1, 2, 3 }, false)]
    public void Sum_and_mean_over_axes(int[] axes, bool keepDims)
    {
        var x = T.Uniform(41, -1, 1, 2, 3, 4, 2);
        GradCheck.Assert(t => Ops.Sum(t[0], axes, keepDims), x);
        GradCheck.Assert(t => Ops.Mean(t[0], axes, keepDims), x);

        // Forward against a direct loop; the result shape drops or keeps the reduced axes.
        var norm = axes.Select(a => a < 0 ? a + 4 : a).ToHashSet();
        var kept = x.Shape.Select((d, i) => norm.Contains(i) ? 1 : d).ToArray();
        var expected = new double[ShapeUtil.Count(kept)];
        var idx = new int[4];
        for (int i = 0; i < x.Size; i++)
        {
            int rem = i;
            for (int d = 3; d >= 0; d--) { idx[d] = rem % x.Shape[d]; rem /= x.Shape[d]; }
            int o = 0;
            for (int d = 0; d < 4; d++) o = o * kept[d] + (norm.Contains(d) ? 0 : idx[d]);
            expected[o] += x.Data[i];
        }
        var sum = Ops.Sum(x, axes, keepDims);
        Assert.Equal(keepDims ? kept : kept.Where((_, i) => !norm.Contains(i)).ToArray(), sum.Shape);
        T.AssertClose(expected, sum.Span, 1e-5, "sum over axes");
        int count = x.Size / expected.Length;
        T.AssertClose(expected.Select(e => e / count).ToArray(), Ops.Mean(x, axes, keepDims).Span, 1e-5, "mean over axes");
    }

    [Fact]
    public void Reducing_every_axis_of_a_vector_gives_a_scalar()
    {
        var x = T.Uniform(42, -1, 1, 5);
        var s = Ops.Sum(x, [0]);
        Assert.Empty(s.Shape);
        Assert.Equal(x.Data.Sum(), s.Item(), 5);
        GradCheck.Assert(t => Ops.Mean(t[0], [0], keepDims: true), x);
    }

    [Fact]
    public void An_axis_named_twice_is_rejected()
    {
        // PyTorch refuses this too; silently the mean would divide by the axis size twice.
        var x = T.Uniform(43, -1, 1, 2, 3);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => Ops.Mean(x, [1, 1])).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => Ops.Sum(x, [1, -1])).Message);
    }

    // ---- shape ops --------------------------------------------------------------------------

    [Fact]
    public void Reshape_and_flatten()
    {
        var x = T.Uniform(50, -1, 1, 2, 3, 4);
        GradCheck.Assert(t => Ops.Reshape(t[0], 4, -1), x);
        Assert.Equal([4, 6], Ops.Reshape(x, 4, -1).Shape);
        var img = T.Uniform(51, -1, 1, 2, 3, 2, 2);
        GradCheck.Assert(t => Ops.Flatten(t[0]), img);
        var flat = Ops.Flatten(img);
        Assert.Equal([2, 12], flat.Shape);
        Assert.Equal(img.Data, flat.Data);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(-1)]
    public void Concat_along_each_axis(int axis)
    {
        int[] Shape(int along) { int[] s = [2, 3, 2, 2]; s[axis < 0 ? axis + 4 : axis] = along; return s; }
        var a = T.Uniform(60, -1, 1, Shape(1));
        var b = T.Uniform(61, -1, 1, Shape(3));
        var c = T.Uniform(62, -1, 1, Shape(2)).Const(); // a part without grad is skipped
        GradCheck.Assert(t => Ops.Concat([t[0], t[1], t[2]], axis), a, b, c);

        // Forward: slicing the result gives the parts back.
        var y = Ops.Concat([a, b, c], axis);
        Assert.Equal(a.Data, Ops.Slice(y, axis, 0, 1).Data);
        Assert.Equal(b.Data, Ops.Slice(y, axis, 1, 3).Data);
        Assert.Equal(c.Data, Ops.Slice(y, axis, 4, 2).Data);
    }

    [Fact]
    public void Concat_of_a_tensor_with_itself_accumulates()
    {
        var a = T.Uniform(63, -1, 1, 2, 3);
        GradCheck.Assert(t => Ops.Concat([t[0], t[0]], 1), a);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 2)]
    [InlineData(1, 1, 2)]
    [InlineData(2, 2, 3)]
    [InlineData(-1, 1, 1)]
    public void Slice_along_an_axis(int axis, int start, int length)
    {
        var x = T.Uniform(70, -1, 1, 2, 3, 5, 2);
        GradCheck.Assert(t => Ops.Slice(t[0], axis, start, length), x);
        var y = Ops.Slice(x, axis, start, length);
        int ax = axis < 0 ? axis + 4 : axis;
        for (int i = 0; i < y.Size; i++)
        {
            var idx = new int[4];
            int rem = i;
            for (int d = 3; d >= 0; d--) { idx[d] = rem % y.Shape[d]; rem /= y.Shape[d]; }
            idx[ax] += start;
            Assert.Equal(x.At(idx), y.Data[i]);
        }
    }

    [Fact]
    public void Two_slices_of_one_tensor_accumulate()
    {
        var x = T.Uniform(71, -1, 1, 4, 3);
        GradCheck.Assert(t => Ops.Mul(Ops.Slice(t[0], 0, 0, 2), Ops.Slice(t[0], 0, 1, 2)), x);
    }

    // ---- matrix products --------------------------------------------------------------------

    [Theory]
    [InlineData(3, 4, 5)]
    [InlineData(7, 9, 17)]
    [InlineData(1, 1, 1)]
    public void MatMul(int m, int k, int n)
    {
        var a = T.Uniform(80, -1, 1, m, k);
        var b = T.Uniform(81, -1, 1, k, n);
        GradCheck.Assert(t => Ops.MatMul(t[0], t[1]), a, b);
        var y = Ops.MatMul(a, b);
        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                for (int p = 0; p < k; p++) expected[i * n + j] += (double)a.Data[i * k + p] * b.Data[p * n + j];
        T.AssertClose(expected, y.Span, 1e-5, "matmul");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Linear(bool withBias)
    {
        var x = T.Uniform(90, -1, 1, 2, 3, 6); // rank 3: leading dims are rows
        var w = T.Uniform(91, -1, 1, 4, 6);
        var b = T.Uniform(92, -1, 1, 4);
        if (withBias) GradCheck.Assert(t => Ops.Linear(t[0], t[1], t[2]), x, w, b);
        else GradCheck.Assert(t => Ops.Linear(t[0], t[1], null), x, w);

        var y = Ops.Linear(x, w, withBias ? b : null);
        Assert.Equal([2, 3, 4], y.Shape);
        var expected = new double[6 * 4];
        for (int r = 0; r < 6; r++)
            for (int o = 0; o < 4; o++)
            {
                double s = withBias ? b.Data[o] : 0;
                for (int i = 0; i < 6; i++) s += (double)x.Data[r * 6 + i] * w.Data[o * 6 + i];
                expected[r * 4 + o] = s;
            }
        T.AssertClose(expected, y.Span, 1e-5, "linear");
    }

    [Fact]
    public void A_small_network_end_to_end()
    {
        // conv -> leaky relu -> pixel shuffle -> flatten -> linear -> sigmoid, all inputs checked at once.
        var x = T.Uniform(95, -1, 1, 1, 4, 3, 2);
        var w = T.Uniform(96, -0.5f, 0.5f, 8, 3, 3, 2);
        var lw = T.Uniform(97, -0.5f, 0.5f, 3, 8 * 6 * 2); // shuffled (1, 8, 6, 2) flattened
        GradCheck.Assert(t => Ops.Sigmoid(Ops.Linear(Ops.Flatten(Ops.PixelShuffle(Ops.Tanh(Ops.Conv2d(t[0], t[1], null, 1, 1)), 2)), t[2], null)), x, w, lw);
    }

    // ---- accumulation into an existing gradient ----------------------------------------------

    /// <summary>
    /// Each op applied twice to the same input: the second backward finds a gradient already
    /// there and must add to it (the accumulate branch, which single-use checks never reach).
    /// </summary>
    [Theory]
    [InlineData("add")]
    [InlineData("sub_broadcast")]
    [InlineData("mul_broadcast")]
    [InlineData("div")]
    [InlineData("affine")]
    [InlineData("abs")]
    [InlineData("exp")]
    [InlineData("leaky_relu")]
    [InlineData("sum")]
    [InlineData("mean")]
    [InlineData("sum_axes")]
    [InlineData("reshape")]
    [InlineData("slice")]
    [InlineData("concat")]
    [InlineData("matmul")]
    [InlineData("linear")]
    [InlineData("conv2d")]
    [InlineData("conv2d_shift")]
    [InlineData("pixel_shuffle")]
    [InlineData("avg_pool2d")]
    [InlineData("gaussian_blur")]
    [InlineData("l1")]
    [InlineData("mse")]
    [InlineData("dssim")]
    [InlineData("bce")]
    public void Ops_applied_twice_accumulate_gradients(string op)
    {
        var x = T.AwayFromZero(900, 0.2f, 0.9f, 1, 6, 6, 4); // positive-definite enough for div, away from kinks
        var other = T.AwayFromZero(901, 0.2f, 0.9f, 1, 6, 6, 4);
        var w = T.Uniform(902, -1, 1, 3, 3, 3, 4);
        var w2 = T.Uniform(903, -1, 1, 2, 3, 3, 4);
        var bias = T.Uniform(904, -1, 1, 4);
        Func<Tensor, Tensor> f = op switch
        {
            "add" => v => Ops.Add(v, other),
            "sub_broadcast" => v => Ops.Sub(other, Ops.Slice(v, 3, 0, 1)),
            "mul_broadcast" => v => Ops.Mul(v, bias),
            "div" => v => Ops.Div(other, v),
            "affine" => v => Ops.Affine(v, 1.5f, 0.2f),
            "abs" => Ops.Abs,
            "exp" => Ops.Exp,
            "leaky_relu" => v => Ops.LeakyRelu(v, 0.2f),
            "sum" => Ops.Sum,
            "mean" => Ops.Mean,
            "sum_axes" => v => Ops.Sum(v, [1, 3], keepDims: false),
            "reshape" => v => Ops.Reshape(v, 6, -1),
            "slice" => v => Ops.Slice(v, 1, 1, 3),
            "concat" => v => Ops.Concat([v, other, v], 2),
            "matmul" => v => Ops.MatMul(Ops.Reshape(v, 24, 6), Ops.Reshape(Ops.Slice(v, 3, 0, 1), 6, 6)),
            "linear" => v => Ops.Linear(Ops.Reshape(v, 36, 4), Ops.Reshape(Ops.Slice(v, 1, 0, 1), 6, 4), Ops.Reshape(Ops.Slice(Ops.Slice(v, 1, 2, 1), 3, 0, 1), 6)),
            "conv2d" => v => Ops.Conv2d(v, w, null, 1, 1),
            "conv2d_shift" => v => Ops.Conv2d(v, w2, null, 1, 1), // 4 -> 2 channels at stride 1
            "pixel_shuffle" => v => Ops.PixelShuffle(v, 2),
            "avg_pool2d" => v => Ops.AvgPool2d(v, 3, 1),
            "gaussian_blur" => v => Ops.GaussianBlur(v, 5, 1f),
            "l1" => v => Ops.L1Loss(v, Ops.Add(other, 2f)), // differences stay below -0.2
            "mse" => v => Ops.MseLoss(v, other),
            "dssim" => v => Ops.DssimLoss(v, other, null, 5, 1f),
            _ => v => Ops.BceWithLogits(v, other),
        };
        GradCheck.Assert(t => Ops.Add(f(t[0]), Ops.Mul(f(t[0]), 0.5f)), x);
    }
}
