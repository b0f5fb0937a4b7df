using Xunit.Abstractions;

namespace Doppel.Tensors.Tests.Parity;

/// <summary>
/// The convolution family against PyTorch 1.13 (bench/torch_parity_conv.py,
/// tests/data/parity/conv.safetensors): grouped, depthwise and non-square convolution,
/// transposed convolution, upsampling, max pooling and reflection padding. Same inputs, same
/// output, and the same gradients of sum(y * R) for every input. Tolerances as in
/// <see cref="OpParityTests"/>: |d| &lt;= rtol |ref| + atol max|ref|.
/// </summary>
public sealed class ConvFamilyParityTests(ITestOutputHelper output)
{
    private static readonly ParityData Fixture = new("conv.safetensors");

    private readonly Deviation _dev = new(output);

    // Products (convolutions): float32 dot products of at most 144 terms in another summation
    // order than PyTorch's (oneDNN, or its own im2col for groups): ~sqrt(K) * 6e-8 of the scale,
    // limits with a 10x margin, as for Conv2d in OpParityTests.
    private const double ProductRtol = 1e-4, ProductAtol = 1e-5;
    // Bilinear weights and blends are computed with PyTorch's float formulas; the blend of 4
    // values and the gradient's sum of up to 16 weighted terms differ by operation order and
    // fused multiply-adds only: a few ulp.
    private const double BlendRtol = 1e-5, BlendAtol = 1e-6;
    // Gradients that sum a handful of copied values (nearest, reflection, overlapping pools) in
    // another order: one or two ulp. Forward values are copies: exact.
    private const double SumRtol = 1e-6, SumAtol = 1e-7;

    /// <summary>The shared check with the inputs this case's fixture has (x, w and an optional b).</summary>
    private void RunCase(string name, Func<Tensor[], Tensor> f, double rtol, double atol, double gradRtol, double gradAtol) =>
        Fixture.RunCase(_dev, name, new[] { "x", "w", "b" }.Where(n => Fixture.Has($"{name}.{n}")).ToArray(), f, rtol, atol, gradRtol, gradAtol);

    private static Tensor? Bias(Tensor[] t) => t.Length > 2 ? t[2] : null;

    [Theory]
    [InlineData("grouped_g2", 3, 3, 1, 1, 1, 1, 2)]
    [InlineData("grouped_g3_k3x2", 3, 2, 2, 1, 1, 0, 3)]
    [InlineData("depthwise_k3", 3, 3, 1, 1, 1, 1, 8)]
    [InlineData("depthwise_k5x3_s2x1", 5, 3, 2, 1, 2, 1, 5)]
    [InlineData("depthwise_multiplier2", 3, 3, 1, 1, 1, 1, 3)]
    [InlineData("conv_k1x5_s1x2", 1, 5, 1, 2, 0, 2, 1)]
    [InlineData("conv_k3x1_shift", 3, 1, 1, 1, 1, 0, 1)]
    [InlineData("conv_k3_nobias_g1", 3, 3, 2, 2, 1, 1, 1)]
    public void Conv2dMatchesPyTorch(string name, int kh, int kw, int sh, int sw, int ph, int pw, int groups)
    {
        Assert.Equal([kh, kw], Fixture[$"{name}.w"].Shape[1..3]);
        RunCase(name, t => Ops.Conv2d(t[0], t[1], Bias(t), (sh, sw), (ph, pw), groups), ProductRtol, ProductAtol, ProductRtol, ProductAtol);
    }

    [Theory]
    [InlineData("convt_k4_s2_p1", 2, 2, 1, 1, 0, 0)]
    [InlineData("convt_1x1_to_4x4", 1, 1, 0, 0, 0, 0)]
    [InlineData("convt_k3_s2_p1_op1", 2, 2, 1, 1, 1, 1)]
    [InlineData("convt_k3x2_s3x2_op2x1", 3, 2, 1, 0, 2, 1)]
    [InlineData("convt_wide", 2, 2, 1, 1, 0, 0)]
    public void ConvTranspose2dMatchesPyTorch(string name, int sh, int sw, int ph, int pw, int oph, int opw) =>
        RunCase(name, t => Ops.ConvTranspose2d(t[0], t[1], Bias(t), (sh, sw), (ph, pw), (oph, opw)), ProductRtol, ProductAtol, ProductRtol, ProductAtol);

    [Theory]
    [InlineData("upsample_nearest_x2", 2, 2)]
    [InlineData("upsample_nearest_x3x2", 3, 2)]
    public void NearestUpsampleMatchesPyTorch(string name, int fh, int fw) =>
        RunCase(name, t => Ops.Upsample(t[0], (fh, fw), UpsampleMode.Nearest), 0, 0, SumRtol, SumAtol);

    [Theory]
    [InlineData("upsample_bilinear_x2", 2, 2)]
    [InlineData("upsample_bilinear_x3", 3, 3)]
    [InlineData("upsample_bilinear_x4x2", 4, 2)]
    public void BilinearUpsampleMatchesPyTorch(string name, int fh, int fw) =>
        RunCase(name, t => Ops.Upsample(t[0], (fh, fw), UpsampleMode.Bilinear), BlendRtol, BlendAtol, BlendRtol, BlendAtol);

    [Theory]
    [InlineData("max_pool_k2_s2", 2, 2, 2, 2, 0, 0)]
    [InlineData("max_pool_k3_s2_p1", 3, 3, 2, 2, 1, 1)]
    [InlineData("max_pool_k2x3_s1x2_p1", 2, 3, 1, 2, 1, 1)]
    public void MaxPoolMatchesPyTorch(string name, int kh, int kw, int sh, int sw, int ph, int pw) =>
        RunCase(name, t => Ops.MaxPool2d(t[0], (kh, kw), (sh, sw), (ph, pw)), 0, 0, SumRtol, SumAtol);

    [Theory]
    [InlineData("reflection_pad_1_2_3_1", 1, 2, 3, 1)]
    [InlineData("reflection_pad_2", 2, 2, 2, 2)]
    public void ReflectionPadMatchesPyTorch(string name, int left, int right, int top, int bottom) =>
        RunCase(name, t => Ops.ReflectionPad2d(t[0], left, right, top, bottom), 0, 0, SumRtol, SumAtol);
}
