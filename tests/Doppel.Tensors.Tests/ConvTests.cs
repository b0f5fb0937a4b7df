using Doppel.Tensors.Kernels;
using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>
/// Conv2d, pixel shuffle, average pooling and Gaussian blur: forward values against the direct
/// scalar loops in <see cref="Reference"/>, and finite-difference gradient checks. The conv
/// checks run on the default GEMM back end and lowering here; on the managed GEMM, with the
/// other lowering and with batches split into chunks in <see cref="ConvLoweringGradTests"/>.
/// </summary>
public sealed class ConvTests
{
    /// <summary>(N, H, W, C, O, K, stride, padding, bias).</summary>
    public static TheoryData<int, int, int, int, int, int, int, int, bool> ConvCases() => new()
    {
        { 1, 5, 5, 1, 1, 1, 1, 0, false },   // 1x1, C=1
        { 2, 5, 7, 4, 3, 1, 2, 0, true },    // 1x1 stride 2, non-square
        { 2, 6, 5, 3, 4, 3, 1, 1, true },    // 3x3 same padding
        { 2, 7, 6, 2, 3, 3, 2, 1, true },    // 3x3 stride 2, odd size
        { 1, 4, 6, 1, 2, 3, 1, 0, false },   // 3x3 valid, C=1
        { 1, 6, 6, 2, 2, 3, 2, 0, true },    // 3x3 stride 2 valid
        { 1, 8, 7, 3, 2, 5, 1, 2, true },    // 5x5 same padding
        { 2, 9, 8, 2, 3, 5, 2, 2, false },   // 5x5 stride 2 padding 2 (the encoder's shape)
        { 1, 5, 6, 2, 2, 5, 1, 0, true },    // 5x5 valid
        // Stride 1 with fewer outputs than inputs: the shift-add lowering.
        { 2, 6, 5, 4, 2, 3, 1, 1, true },
        { 1, 7, 6, 5, 3, 1, 1, 0, false },   // 1x1
        { 2, 9, 8, 6, 3, 5, 1, 2, true },    // to-RGB: 5x5 same
        { 1, 6, 7, 3, 1, 3, 1, 0, true },    // valid, one output channel
        // Padding wider than half the kernel: border outputs see only zeros and the bias.
        { 1, 4, 5, 3, 2, 1, 1, 1, true },    // shift-add
        { 1, 4, 5, 2, 3, 1, 1, 1, true },    // im2col
        { 1, 3, 4, 2, 2, 3, 2, 2, false },   // stride 2, padding 2 > kernel / 2
    };

    internal static void CheckConv(int n, int h, int w, int c, int o, int k, int stride, int pad, bool bias)
    {
        var x = T.Uniform(100, -1, 1, n, h, w, c);
        var wt = T.Uniform(101, -1, 1, o, k, k, c);
        var b = T.Uniform(102, -1, 1, o);

        // Forward against the direct loop.
        var y = Ops.Conv2d(x, wt, bias ? b : null, stride, pad);
        var expected = Reference.Conv2d(x.Data, n, h, w, c, wt.Data, o, k, k, bias ? b.Data : null, stride, pad, out int oh, out int ow);
        Assert.Equal([n, oh, ow, o], y.Shape);
        T.AssertClose(expected, y.Span, 1e-5, $"conv2d on {Gemm.Backend}");

        if (bias) GradCheck.Assert(t => Ops.Conv2d(t[0], t[1], t[2], stride, pad), x, wt, b);
        else GradCheck.Assert(t => Ops.Conv2d(t[0], t[1], null, stride, pad), x, wt);
    }

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2d(int n, int h, int w, int c, int o, int k, int stride, int pad, bool bias) => CheckConv(n, h, w, c, o, k, stride, pad, bias);

    /// <summary>Only the weight (a layer's training) or only the input (a frozen discriminator's input gradient).</summary>
    [Theory]
    [InlineData(2, 3, true)]   // im2col
    [InlineData(2, 3, false)]
    [InlineData(4, 2, true)]   // shift-add
    [InlineData(4, 2, false)]
    public void Conv2d_with_only_one_operand_requiring_grad(int c, int o, bool weightOnly)
    {
        var x = T.Uniform(103, -1, 1, 2, 5, 5, c);
        var wt = T.Uniform(104, -1, 1, o, 3, 3, c);
        (weightOnly ? x : wt).Const();
        GradCheck.Assert(t => Ops.Conv2d(t[0], t[1], null, 1, 1), x, wt);
        Assert.Null((weightOnly ? x : wt).Grad);
    }

    // ---- pixel shuffle ----------------------------------------------------------------------

    [Theory]
    [InlineData(2, 3, 4, 8, 2)]
    [InlineData(1, 2, 3, 18, 3)]
    [InlineData(1, 1, 1, 4, 2)]
    public void PixelShuffle(int n, int h, int w, int c, int r)
    {
        var x = T.Uniform(120, -1, 1, n, h, w, c);
        var y = Ops.PixelShuffle(x, r);
        Assert.Equal([n, h * r, w * r, c / (r * r)], y.Shape);
        T.AssertClose(Reference.PixelShuffle(x.Data, n, h, w, c, r), y.Span, 0, "pixel_shuffle");
        GradCheck.Assert(t => Ops.PixelShuffle(t[0], r), x);
    }

    // ---- average pooling --------------------------------------------------------------------

    [Theory]
    [InlineData(2, 6, 4, 3, 2, 2)]
    [InlineData(1, 7, 5, 2, 2, 2)]   // odd sizes: the last row and column are dropped
    [InlineData(1, 5, 6, 2, 3, 1)]   // overlapping windows
    public void AvgPool2d(int n, int h, int w, int c, int k, int stride)
    {
        var x = T.Uniform(130, -1, 1, n, h, w, c);
        var y = Ops.AvgPool2d(x, k, stride);
        Assert.Equal([n, (h - k) / stride + 1, (w - k) / stride + 1, c], y.Shape);
        T.AssertClose(Reference.AvgPool2d(x.Data, n, h, w, c, k, stride), y.Span, 1e-6, "avg_pool2d");
        GradCheck.Assert(t => Ops.AvgPool2d(t[0], k, stride), x);
    }

    // ---- Gaussian blur ----------------------------------------------------------------------

    [Theory]
    [InlineData(1, 13, 12, 2, 11, 1.5f)]
    [InlineData(2, 8, 9, 1, 5, 1.0f)]
    [InlineData(1, 11, 11, 3, 11, 1.5f)]
    public void GaussianBlur(int n, int h, int w, int c, int size, float sigma)
    {
        var x = T.Uniform(140, 0, 1, n, h, w, c);
        var y = Ops.GaussianBlur(x, size, sigma);
        Assert.Equal([n, h - size + 1, w - size + 1, c], y.Shape);
        T.AssertClose(Reference.GaussianBlur(Reference.ToDouble(x.Data), n, h, w, c, size, sigma), y.Span, 1e-5, "gaussian_blur");
        GradCheck.Assert(t => Ops.GaussianBlur(t[0], size, sigma), x);
    }

    [Fact]
    public void Gaussian_kernel_is_normalised_symmetric_and_peaked()
    {
        var k = Ops.GaussianKernel(11, 1.5f);
        Assert.Equal(1.0, k.Sum(v => (double)v), 6);
        for (int i = 0; i < 5; i++) Assert.Equal(k[i], k[10 - i]);
        Assert.Equal(k.Max(), k[5]);
        Assert.Equal(Math.Exp(-1 / (2 * 1.5 * 1.5)), k[4] / k[5], 5);
    }
}
