using Doppel.Tensors.Kernels;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>
/// Ops under <c>MatMulPrecision.Use(Precision.Bf16)</c>: every matrix product of the forward and
/// backward pass takes bf16-rounded operands, so a convolution's output equals the float32 op on
/// rounded x and w, and its input and weight gradients equal the float32 backward of rounded x, w
/// and upstream gradient (up to float32 summation order); the bias gradient, a plain sum, is the
/// float32 one. Covers both conv lowerings (im2col and shift-add), batches split into chunks,
/// grouped and transposed convolutions, linear and matmul.
/// </summary>
[Collection(GlobalStateCollection.Name)]
public sealed class MixedPrecisionOpsTests
{
    private delegate Tensor Op(Tensor x, Tensor w, Tensor? b);

    private static Tensor Rounded(Tensor t)
    {
        var values = t.Span.ToArray();
        for (int i = 0; i < values.Length; i++) values[i] = Bf16.ToFloat(Bf16.FromFloat(values[i]));
        return T.Leaf(values, t.Shape);
    }

    private static (float[] Y, float[] Dx, float[] Dw, float[]? Db) Run(Op op, Tensor x, Tensor w, Tensor? b, Tensor g, Precision precision)
    {
        foreach (var t in new[] { x, w, b }) t?.ZeroGrad();
        Tensor y;
        using (MatMulPrecision.Use(precision)) y = op(x, w, b);
        y.Backward(g); // outside the scope: the op must remember the precision it ran forward in
        return (y.Span.ToArray(), x.Grad!.Span.ToArray(), w.Grad!.Span.ToArray(), b?.Grad!.Span.ToArray());
    }

    private static void AssertNear(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= 1e-4 * (1 + Math.Abs(expected[i]))))
                Assert.Fail($"{what}: element {i} is {actual[i]:G7}, the float32 op on bf16-rounded operands gives {expected[i]:G7}");
    }

    private static void Check(Op op, int[] xShape, int[] wShape, int biasLength, int[] yShape, ulong seed)
    {
        var x = T.Uniform(seed, -1, 1, xShape);
        var w = T.Uniform(seed + 1, -1, 1, wShape);
        var b = biasLength > 0 ? T.Uniform(seed + 2, -1, 1, biasLength) : null;
        var g = T.Uniform(seed + 3, -1, 1, yShape).Const();

        var mixed = Run(op, x, w, b, g, Precision.Bf16);
        var onRounded = Run(op, Rounded(x), Rounded(w), b is null ? null : T.Leaf(b.Span.ToArray(), b.Shape), Rounded(g).Const(), Precision.Fp32);
        var fp32 = Run(op, x, w, b, g, Precision.Fp32);

        AssertNear(onRounded.Y, mixed.Y, "output");
        AssertNear(onRounded.Dx, mixed.Dx, "input gradient");
        AssertNear(onRounded.Dw, mixed.Dw, "weight gradient");
        if (b is not null) Assert.Equal(fp32.Db, mixed.Db); // a float32 sum of the float32 upstream gradient
        // And the products really ran in bf16: float32 on the raw operands differs.
        Assert.True(T.MaxAbsDiff(fp32.Y, mixed.Y) > 1e-4, "bf16 output equals float32's: nothing was rounded");
        Assert.True(T.MaxAbsDiff(fp32.Dw, mixed.Dw) > 1e-4, "bf16 weight gradient equals float32's: nothing was rounded");
    }

    [Theory]
    [InlineData(2, 9, 8, 6, 16, 5, 2, 2)]  // 5x5 stride 2 (the encoder's shape): im2col
    [InlineData(3, 7, 6, 5, 9, 3, 1, 1)]   // 3x3 stride 1, widening: im2col
    [InlineData(2, 9, 8, 16, 3, 5, 1, 2)]  // to-RGB, narrowing at stride 1: shift-add
    [InlineData(1, 5, 7, 33, 17, 1, 1, 0)] // 1x1, odd channel counts
    public void Conv2dIsTheFloat32OpOnRoundedOperands(int n, int h, int w, int c, int o, int k, int stride, int pad)
    {
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        Check((x, wt, b) => Ops.Conv2d(x, wt, b, stride, pad), [n, h, w, c], [o, k, k, c], o, [n, oh, ow, o], 10);
    }

    [Fact]
    public void ChunkedConvolutionsAccumulateInFloat32()
    {
        int saved = Ops.MaxColFloats;
        try
        {
            Ops.MaxColFloats = 6 * 6 * 9 * 4 * 2; // two images per chunk of the 3x3 im2col
            Check((x, wt, b) => Ops.Conv2d(x, wt, b, 1, 1), [5, 6, 6, 4], [12, 3, 3, 4], 12, [5, 6, 6, 12], 20);
        }
        finally { Ops.MaxColFloats = saved; }
    }

    [Fact]
    public void GroupedConv2d() =>
        Check((x, wt, b) => Ops.Conv2d(x, wt, b, 1, 1, groups: 2), [2, 6, 5, 8], [6, 3, 3, 4], 6, [2, 6, 5, 6], 30);

    [Fact]
    public void ConvTranspose2d() =>
        Check((x, wt, b) => Ops.ConvTranspose2d(x, wt, b, 2, 1), [2, 4, 5, 12], [12, 4, 4, 5], 5, [2, 8, 10, 5], 40);

    [Fact]
    public void Linear() =>
        Check((x, wt, b) => Ops.Linear(x, wt, b), [7, 65], [33, 65], 33, [7, 33], 50);

    [Fact]
    public void MatMul() =>
        Check((x, wt, _) => Ops.MatMul(x, wt), [9, 40], [40, 17], 0, [9, 17], 60);

    [Fact]
    public void Fp32IsTheDefaultAndScopesNestAndRestore()
    {
        Assert.Equal(Precision.Fp32, MatMulPrecision.Current);
        using (MatMulPrecision.Use(Precision.Bf16))
        {
            Assert.Equal(Precision.Bf16, MatMulPrecision.Current);
            using (MatMulPrecision.Use(Precision.Fp32)) Assert.Equal(Precision.Fp32, MatMulPrecision.Current);
            Assert.Equal(Precision.Bf16, MatMulPrecision.Current);
        }
        Assert.Equal(Precision.Fp32, MatMulPrecision.Current);
        Assert.Equal(Precision.Bf16, MatMulPrecision.Parse("BF16"));
        Assert.Null(MatMulPrecision.Parse("fp16"));
    }
}
