using Doppel.Tensors.Kernels;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>
/// Grouped, depthwise and non-square convolution, transposed convolution, upsampling, max
/// pooling and reflection padding: forward values against the loops in
/// <see cref="ConvFamilyReference"/>, finite-difference gradient checks, gradient accumulation,
/// bad arguments, and the layer modules. Chunked batches and the managed GEMM are in
/// <see cref="ConvFamilyLoweringTests"/>.
/// </summary>
public sealed class ConvFamilyTests
{
    // ---- grouped, depthwise and non-square convolution ---------------------------------------

    /// <summary>(N, H, W, C, O, KH, KW, stride H, stride W, pad H, pad W, groups, bias).</summary>
    public static IEnumerable<object[]> GroupedCases() =>
    [
        [2, 6, 5, 4, 6, 3, 3, 1, 1, 1, 1, 2, true],    // two groups
        [1, 7, 6, 6, 3, 3, 2, 2, 1, 1, 0, 3, false],   // three groups, 3x2 kernel, stride (2, 1)
        [2, 5, 6, 4, 4, 3, 3, 1, 1, 1, 1, 4, true],    // depthwise
        [1, 7, 7, 5, 5, 5, 3, 2, 1, 2, 1, 5, false],   // depthwise, 5x3 kernel, stride (2, 1), pad (2, 1)
        [2, 6, 5, 17, 17, 3, 3, 1, 1, 1, 1, 17, true], // depthwise, 17 channels: SIMD blocks and a tail
        [1, 6, 5, 3, 6, 3, 3, 1, 1, 1, 1, 3, true],    // depthwise with channel multiplier 2 (per-group GEMM)
        [1, 5, 4, 4, 2, 1, 1, 1, 1, 0, 0, 2, true],    // grouped 1x1
        [1, 6, 7, 3, 4, 1, 3, 1, 2, 0, 1, 1, true],    // groups 1: 1x3 kernel, stride (1, 2), pad (0, 1)
        [2, 7, 5, 2, 3, 5, 1, 2, 1, 2, 0, 1, false],   // groups 1: 5x1 kernel
        [1, 6, 7, 4, 2, 3, 1, 1, 1, 1, 0, 1, true],    // groups 1, 3x1 at stride 1 with O < C: shift-add lowering
    ];

    internal static void CheckGrouped(int n, int h, int w, int c, int o, int kh, int kw, int sh, int sw, int ph, int pw, int groups, bool bias)
    {
        var x = T.Uniform(200, -1, 1, n, h, w, c);
        var wt = T.Uniform(201, -1, 1, o, kh, kw, c / groups);
        var b = T.Uniform(202, -1, 1, o);
        var y = Ops.Conv2d(x, wt, bias ? b : null, (sh, sw), (ph, pw), groups);
        var expected = ConvFamilyReference.Conv2d(x.Data, n, h, w, c, wt.Data, o, kh, kw, bias ? b.Data : null, (sh, sw), (ph, pw), groups, out int oh, out int ow);
        Assert.Equal([n, oh, ow, o], y.Shape);
        T.AssertClose(expected, y.Span, 1e-5, $"conv2d groups {groups} on {Gemm.Backend}");

        if (bias) GradCheck.Assert(t => Ops.Conv2d(t[0], t[1], t[2], (sh, sw), (ph, pw), groups), x, wt, b);
        else GradCheck.Assert(t => Ops.Conv2d(t[0], t[1], null, (sh, sw), (ph, pw), groups), x, wt);
    }

    [Theory]
    [MemberData(nameof(GroupedCases))]
    public void Grouped_depthwise_and_non_square_conv2d(int n, int h, int w, int c, int o, int kh, int kw, int sh, int sw, int ph, int pw, int groups, bool bias) =>
        CheckGrouped(n, h, w, c, o, kh, kw, sh, sw, ph, pw, groups, bias);

    [Theory]
    [InlineData(4, 4, true)]   // depthwise
    [InlineData(4, 4, false)]
    [InlineData(4, 6, true)]   // two groups
    [InlineData(4, 6, false)]
    public void Grouped_conv2d_with_only_one_operand_requiring_grad(int c, int o, bool weightOnly)
    {
        int groups = c == o ? c : 2;
        var x = T.Uniform(203, -1, 1, 2, 5, 5, c);
        var wt = T.Uniform(204, -1, 1, o, 3, 3, c / groups);
        (weightOnly ? x : wt).Const();
        GradCheck.Assert(t => Ops.Conv2d(t[0], t[1], null, 1, 1, groups), x, wt);
        Assert.Null((weightOnly ? x : wt).Grad);
    }

    [Fact]
    public void Groups_one_and_the_grouped_path_agree_on_a_block_diagonal_weight()
    {
        // A groups-2 weight embedded block-diagonally in a dense (O, KH, KW, C) weight gives the same convolution.
        var x = T.Uniform(205, -1, 1, 2, 6, 6, 4).Const();
        var grouped = T.Uniform(206, -1, 1, 6, 3, 3, 2).Const();
        var dense = Tensor.Zeros(6, 3, 3, 4);
        for (int o = 0; o < 6; o++)
            for (int tap = 0; tap < 9; tap++)
                for (int ci = 0; ci < 2; ci++)
                    dense.Data[(o * 9 + tap) * 4 + (o / 3) * 2 + ci] = grouped.Data[(o * 9 + tap) * 2 + ci];
        T.AssertClose(Ops.Conv2d(x, dense, null, 1, 1).Span, Ops.Conv2d(x, grouped, null, 1, 1, groups: 2).Span, 1e-5, "grouped vs block-diagonal");
    }

    // ---- transposed convolution ---------------------------------------------------------------

    /// <summary>(N, H, W, C_in, C_out, KH, KW, stride H, stride W, pad H, pad W, output pad H, output pad W, bias).</summary>
    public static IEnumerable<object[]> TransposeCases() =>
    [
        [2, 3, 3, 4, 3, 4, 4, 2, 2, 1, 1, 0, 0, true],   // DCGAN's k4 s2 p1 doubling
        [1, 4, 3, 2, 3, 3, 3, 2, 2, 1, 1, 1, 1, false],  // output padding
        [2, 2, 3, 3, 2, 3, 3, 1, 1, 0, 0, 0, 0, true],   // stride 1, full
        [1, 3, 4, 2, 2, 3, 2, 3, 2, 1, 0, 2, 1, true],   // non-square kernel, per-axis stride, padding, output padding
        [2, 1, 1, 5, 3, 4, 4, 1, 1, 0, 0, 0, 0, true],   // 1x1 -> 4x4: a DCGAN generator's first layer
        [1, 4, 4, 3, 1, 5, 5, 2, 2, 2, 2, 1, 1, false],  // 5x5, one output channel
        [1, 3, 3, 2, 17, 3, 3, 2, 2, 0, 0, 0, 0, true],  // 17 output channels, no padding (overlaps kept)
    ];

    internal static void CheckTranspose(int n, int h, int w, int cin, int cout, int kh, int kw, int sh, int sw, int ph, int pw, int oph, int opw, bool bias)
    {
        var x = T.Uniform(210, -1, 1, n, h, w, cin);
        var wt = T.Uniform(211, -1, 1, cin, kh, kw, cout);
        var b = T.Uniform(212, -1, 1, cout);
        var y = Ops.ConvTranspose2d(x, wt, bias ? b : null, (sh, sw), (ph, pw), (oph, opw));
        var expected = ConvFamilyReference.ConvTranspose2d(x.Data, n, h, w, cin, wt.Data, kh, kw, cout, bias ? b.Data : null, (sh, sw), (ph, pw), (oph, opw), out int oh, out int ow);
        Assert.Equal([n, oh, ow, cout], y.Shape);
        T.AssertClose(expected, y.Span, 1e-5, $"conv_transpose2d on {Gemm.Backend}");

        if (bias) GradCheck.Assert(t => Ops.ConvTranspose2d(t[0], t[1], t[2], (sh, sw), (ph, pw), (oph, opw)), x, wt, b);
        else GradCheck.Assert(t => Ops.ConvTranspose2d(t[0], t[1], null, (sh, sw), (ph, pw), (oph, opw)), x, wt);
    }

    [Theory]
    [MemberData(nameof(TransposeCases))]
    public void ConvTranspose2d(int n, int h, int w, int cin, int cout, int kh, int kw, int sh, int sw, int ph, int pw, int oph, int opw, bool bias) =>
        CheckTranspose(n, h, w, cin, cout, kh, kw, sh, sw, ph, pw, oph, opw, bias);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ConvTranspose2d_with_only_one_operand_requiring_grad(bool weightOnly)
    {
        var x = T.Uniform(213, -1, 1, 2, 3, 3, 3);
        var wt = T.Uniform(214, -1, 1, 3, 4, 4, 2);
        (weightOnly ? x : wt).Const();
        GradCheck.Assert(t => Ops.ConvTranspose2d(t[0], t[1], null, 2, 1), x, wt);
        Assert.Null((weightOnly ? x : wt).Grad);
    }

    [Fact]
    public void ConvTranspose2d_is_the_input_gradient_of_conv2d()
    {
        // For y = conv(u, w) with u (1, 9, 7, 2) -> (1, 4, 4, 3) (a 4x3 kernel, stride 2, padding 1),
        // the gradient of sum(y * v) with respect to u is conv_transpose(v, w) with the same weight.
        var u = T.Uniform(215, -1, 1, 1, 9, 7, 2);
        var w = T.Uniform(216, -1, 1, 3, 4, 3, 2).Const();
        var v = T.Uniform(217, -1, 1, 1, 4, 4, 3).Const();
        using var scope = TensorScope.Begin();
        var y = Ops.Conv2d(u, w, null, (2, 2), (1, 1));
        Assert.Equal([1, 4, 4, 3], y.Shape);
        Ops.Sum(Ops.Mul(y, v)).Backward();
        // W: 7 = (4 - 1) * 2 - 2 + 3; H: 9 = (4 - 1) * 2 - 2 + 4 + output padding 1 (the row the stride skipped).
        var t = Ops.ConvTranspose2d(v, w, null, (2, 2), (1, 1), (1, 0));
        Assert.Equal(u.Shape, t.Shape);
        T.AssertClose(u.Grad!.Span, t.Span, 1e-5, "conv_transpose2d vs conv2d input gradient");
    }

    // ---- upsampling -----------------------------------------------------------------------------

    [Theory]
    [InlineData(2, 3, 4, 3, 2, 2, UpsampleMode.Nearest)]
    [InlineData(1, 2, 3, 5, 3, 2, UpsampleMode.Nearest)]
    [InlineData(2, 3, 4, 3, 2, 2, UpsampleMode.Bilinear)]
    [InlineData(1, 4, 5, 3, 3, 3, UpsampleMode.Bilinear)]
    [InlineData(1, 1, 2, 2, 2, 4, UpsampleMode.Bilinear)]  // a one-pixel axis: both taps are that pixel
    [InlineData(1, 3, 3, 17, 1, 2, UpsampleMode.Bilinear)] // scale 1 on H: a copy along it
    public void Upsample(int n, int h, int w, int c, int fh, int fw, UpsampleMode mode)
    {
        var x = T.Uniform(220, -1, 1, n, h, w, c);
        var y = Ops.Upsample(x, (fh, fw), mode);
        Assert.Equal([n, h * fh, w * fw, c], y.Shape);
        var expected = mode == UpsampleMode.Nearest
            ? ConvFamilyReference.UpsampleNearest(x.Data, n, h, w, c, fh, fw)
            : ConvFamilyReference.UpsampleBilinear(x.Data, n, h, w, c, fh, fw);
        T.AssertClose(expected, y.Span, 1e-6, $"upsample {mode}");
        GradCheck.Assert(t => Ops.Upsample(t[0], (fh, fw), mode), x);
    }

    // ---- max pooling ----------------------------------------------------------------------------

    /// <summary>Distinct values 0.05 apart in random order: the finite-difference step never changes a window's maximum.</summary>
    private static Tensor Spread(ulong seed, params int[] shape)
    {
        int size = ShapeUtil.Count(shape);
        var order = Enumerable.Range(0, size).ToArray();
        var rng = new Rng(seed);
        for (int i = size - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return T.Leaf(order.Select(v => (v - size / 2) * 0.05f).ToArray(), shape);
    }

    [Theory]
    [InlineData(2, 6, 6, 3, 2, 2, 0, 0, 0, 0)]    // 2x2 / 2
    [InlineData(1, 7, 6, 2, 3, 3, 2, 2, 1, 1)]    // 3x3 / 2 with padding 1 (ResNet's stem pool)
    [InlineData(1, 5, 7, 3, 2, 3, 1, 2, 1, 1)]    // non-square kernel and stride, overlapping windows
    [InlineData(1, 5, 5, 17, 3, 3, 1, 1, 1, 1)]   // stride 1: every pixel in up to 9 windows
    public void MaxPool2d(int n, int h, int w, int c, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var x = Spread(230, n, h, w, c);
        var s = sh == 0 ? (kh, kw) : (sh, sw);
        var y = Ops.MaxPool2d(x, (kh, kw), s, (ph, pw));
        var expected = ConvFamilyReference.MaxPool2d(x.Data, n, h, w, c, (kh, kw), s, (ph, pw), out int oh, out int ow);
        Assert.Equal([n, oh, ow, c], y.Shape);
        T.AssertClose(expected, y.Span, 0, "max_pool2d");
        GradCheck.Assert(t => Ops.MaxPool2d(t[0], (kh, kw), s, (ph, pw)), x);
    }

    [Fact]
    public void MaxPool2d_routes_a_tie_to_the_first_maximum_and_propagates_nan()
    {
        // Two 2x2 windows: {1, 3 | NaN, 0} and {3, 2 | 5, 5}.
        var x = T.Leaf([1f, 3f, 3f, 2f, float.NaN, 0f, 5f, 5f], 1, 2, 4, 1);
        var y = Ops.MaxPool2d(x, 2);
        Assert.Equal([1, 1, 2, 1], y.Shape);
        Assert.True(float.IsNaN(y.Data[0]), "a NaN in the window is the maximum, as in PyTorch");
        Assert.Equal(5f, y.Data[1]);
        Ops.Sum(y).Backward();
        // The NaN takes the first window's gradient; the tie at 5 goes to the first of the two.
        Assert.Equal([0f, 0f, 0f, 0f, 1f, 0f, 1f, 0f], x.Grad!.ToArray());
    }

    // ---- reflection padding -------------------------------------------------------------------

    [Theory]
    [InlineData(2, 4, 5, 3, 1, 2, 3, 1)]
    [InlineData(1, 3, 3, 2, 2, 2, 2, 2)]   // the largest padding a 3-pixel axis allows
    [InlineData(1, 5, 4, 1, 0, 3, 1, 0)]   // one-sided
    public void ReflectionPad2d(int n, int h, int w, int c, int left, int right, int top, int bottom)
    {
        var x = T.Uniform(240, -1, 1, n, h, w, c);
        var y = Ops.ReflectionPad2d(x, left, right, top, bottom);
        Assert.Equal([n, h + top + bottom, w + left + right, c], y.Shape);
        T.AssertClose(ConvFamilyReference.ReflectionPad2d(x.Data, n, h, w, c, left, right, top, bottom), y.Span, 0, "reflection_pad2d");
        GradCheck.Assert(t => Ops.ReflectionPad2d(t[0], left, right, top, bottom), x);
    }

    // ---- accumulation into an existing gradient ----------------------------------------------

    /// <summary>Each op used twice on the same input: the second backward must add to the first's gradient.</summary>
    [Theory]
    [InlineData("grouped")]
    [InlineData("depthwise")]
    [InlineData("conv_transpose")]
    [InlineData("upsample_nearest")]
    [InlineData("upsample_bilinear")]
    [InlineData("max_pool")]
    [InlineData("reflection_pad")]
    public void Ops_applied_twice_accumulate_gradients(string op)
    {
        var x = Spread(250, 1, 6, 6, 4);
        var grouped = T.Uniform(251, -1, 1, 6, 3, 3, 2).Const();
        var depthwise = T.Uniform(252, -1, 1, 4, 3, 3, 1).Const();
        var transpose = T.Uniform(253, -1, 1, 4, 4, 4, 3).Const();
        Func<Tensor, Tensor> f = op switch
        {
            "grouped" => v => Ops.Conv2d(v, grouped, null, 1, 1, groups: 2),
            "depthwise" => v => Ops.Conv2d(v, depthwise, null, 2, 1, groups: 4),
            "conv_transpose" => v => Ops.ConvTranspose2d(v, transpose, null, 2, 1),
            "upsample_nearest" => v => Ops.Upsample(v, 2),
            "upsample_bilinear" => v => Ops.Upsample(v, 2, UpsampleMode.Bilinear),
            "max_pool" => v => Ops.MaxPool2d(v, 3, 2, 1),
            _ => v => Ops.ReflectionPad2d(v, 2),
        };
        GradCheck.Assert(t => Ops.Add(f(t[0]), Ops.Mul(f(t[0]), 0.5f)), x);
    }

    [Fact]
    public void Weights_used_twice_accumulate_gradients()
    {
        var x = T.Uniform(254, -1, 1, 1, 4, 4, 4).Const();
        var x2 = T.Uniform(258, -1, 1, 1, 4, 4, 4).Const();
        var depthwise = T.Uniform(255, -1, 1, 4, 3, 3, 1);
        var grouped = T.Uniform(256, -1, 1, 6, 3, 3, 2);
        var transpose = T.Uniform(257, -1, 1, 4, 4, 4, 3);
        GradCheck.Assert(t => Ops.Add(Ops.Conv2d(x, t[0], null, 2, 1, 4), Ops.Conv2d(x2, t[0], null, 2, 1, 4)), depthwise);
        GradCheck.Assert(t => Ops.Add(Ops.Conv2d(x, t[0], null, 1, 1, 2), Ops.Conv2d(x2, t[0], null, 1, 1, 2)), grouped);
        GradCheck.Assert(t => Ops.Add(Ops.ConvTranspose2d(x, t[0], null, 2, 1), Ops.ConvTranspose2d(x2, t[0], null, 2, 1)), transpose);
    }

    // ---- bad arguments --------------------------------------------------------------------------

    [Fact]
    public void Bad_arguments_name_the_op()
    {
        var x = Tensor.Zeros(1, 6, 6, 4);
        Assert.Throws<ShapeMismatchException>(() => Ops.Conv2d(x, Tensor.Zeros(6, 3, 3, 2), null, 1, 1, groups: 3)); // 3 does not divide 4
        Assert.Throws<ShapeMismatchException>(() => Ops.Conv2d(x, Tensor.Zeros(6, 3, 3, 4), null, 1, 1, groups: 2)); // weight must hold C/2
        Assert.Throws<ShapeMismatchException>(() => Ops.Conv2d(x, Tensor.Zeros(4, 3, 3, 1), Tensor.Zeros(3), 1, 1, groups: 4));
        Assert.Throws<ShapeMismatchException>(() => Ops.Conv2d(x, Tensor.Zeros(4, 3, 3, 4), null, (1, 1), (0, 0), groups: 0));
        Assert.Throws<ShapeMismatchException>(() => Ops.Conv2d(x, Tensor.Zeros(4, 9, 3, 4), null, (1, 1), (1, 0)));
        Assert.Throws<ArgumentException>(() => Ops.Conv2d(x, Tensor.Zeros(4, 3, 3, 4), null, (1, 0), (0, 0)));

        Assert.Throws<ShapeMismatchException>(() => Ops.ConvTranspose2d(x, Tensor.Zeros(3, 4, 4, 2), null, 2, 1)); // C_in 4 vs 3
        var op = Assert.Throws<ArgumentException>(() => Ops.ConvTranspose2d(x, Tensor.Zeros(4, 4, 4, 2), null, 2, 1, outputPadding: 2));
        Assert.Contains("conv_transpose2d", op.Message);
        Assert.Throws<ShapeMismatchException>(() => Ops.ConvTranspose2d(Tensor.Zeros(1, 1, 1, 4), Tensor.Zeros(4, 2, 2, 2), null, 1, 2));
        Assert.Throws<ShapeMismatchException>(() => Ops.ConvTranspose2d(x, Tensor.Zeros(4, 4, 4, 2), Tensor.Zeros(3), 2, 1));

        Assert.Throws<ShapeMismatchException>(() => Ops.Upsample(x, 0));
        Assert.Throws<ArgumentException>(() => Ops.MaxPool2d(x, 2, 2, padding: 2));
        Assert.Throws<ShapeMismatchException>(() => Ops.MaxPool2d(x, 8));
        var pad = Assert.Throws<ShapeMismatchException>(() => Ops.ReflectionPad2d(x, 6));
        Assert.Equal("reflection_pad2d", pad.Op);
        Assert.Throws<ShapeMismatchException>(() => Ops.ReflectionPad2d(x, -1, 0, 0, 0));
    }

    // ---- layers -----------------------------------------------------------------------------------

    [Fact]
    public void Layers_have_the_documented_parameter_shapes_and_output_sizes()
    {
        var rng = new Rng(9);
        var depthwise = new Nn.Conv2d(8, 8, 3, 1, 1, rng, groups: 8);
        Assert.Equal([8, 3, 3, 1], depthwise.Weight.Shape);
        var grouped = new Nn.Conv2d(8, 12, (1, 5), (1, 2), (0, 2), rng, bias: false, groups: 4);
        Assert.Equal([12, 1, 5, 2], grouped.Weight.Shape);
        Assert.Null(grouped.Bias);
        Assert.Throws<ArgumentException>(() => new Nn.Conv2d(8, 6, 3, 1, 1, rng, groups: 4));

        var up = new Nn.ConvTranspose2d(16, 8, 4, 2, 1, rng, init: WeightInit.Normal(0.02f));
        Assert.Equal([16, 4, 4, 8], up.Weight.Shape);
        Assert.Equal(["weight", "bias"], up.NamedParameters().Select(p => p.Name));
        Assert.Throws<ArgumentException>(() => new Nn.ConvTranspose2d(16, 8, 4, 2, 1, rng, outputPadding: 2));

        using var scope = TensorScope.Begin();
        var x = Tensor.Zeros(2, 5, 6, 8);
        Assert.Equal([2, 5, 6, 8], depthwise.Forward(x).Shape);
        Assert.Equal([2, 5, 3, 12], grouped.Forward(x).Shape);
        Assert.Equal([2, 10, 12, 8], up.Forward(Tensor.Zeros(2, 5, 6, 16)).Shape);
        // pad to 7x8, pool to 3x4, upsample to 6x8, transposed conv to 12x16
        var model = new Sequential(new ReflectionPad2d(1, 1, 2, 0), new MaxPool2d(2), new Nn.Upsample(2, UpsampleMode.Bilinear),
            new Nn.ConvTranspose2d(8, 3, 4, 2, 1, rng, bias: false));
        Assert.Equal([2, 12, 16, 3], model.Forward(x).Shape);
    }
}
