using Xunit.Abstractions;

namespace Doppel.Tensors.Tests.Parity;

/// <summary>
/// Each op against PyTorch 1.13 (fixtures from bench/torch_parity.py, tests/data/parity/ops.safetensors):
/// same inputs, same output, and the same gradients of sum(y * R) for the stored random R (losses:
/// of the loss itself). Tolerances follow <see cref="Deviation.Check"/>: |d| &lt;= rtol |ref| + atol max|ref|.
/// </summary>
public sealed class OpParityTests(ITestOutputHelper output)
{
    private static readonly ParityData Fixture = new("ops.safetensors");

    private readonly Deviation _dev = new(output);

    // Products (conv, linear): float32 dot products of at most 288 terms, summed in a different
    // order than PyTorch's oneDNN/OpenBLAS (im2col + sgemm here, blocked or managed SIMD). The
    // expected rounding difference is about sqrt(K) * 6e-8 ~ 1e-6 of the tensor's scale; the limits
    // leave a 10x margin. Gradients are the same kind of sums (over pixels for dW), same limits.
    private const double ProductRtol = 1e-4, ProductAtol = 1e-5;
    // Element-wise transcendental functions (exp, sigmoid, tanh, log, sqrt) differ by a few ulp
    // between .NET's TensorPrimitives and PyTorch's vectorised SLEEF/own kernels: ~2e-7 relative.
    private const double ElementRtol = 2e-6, ElementAtol = 1e-7;

    [Theory]
    [InlineData("conv_k3_s1_p1", 1, 1)]
    [InlineData("conv_k5_s2_p2", 2, 2)]
    [InlineData("conv_k3_s2_p0", 2, 0)]
    [InlineData("conv_k1_s1_p0", 1, 0)]
    [InlineData("conv_k4_s3_p2", 3, 2)]
    [InlineData("conv_k3_s1_p1_wide", 1, 1)]
    public void Conv2dMatchesPyTorch(string name, int stride, int padding) =>
        Fixture.RunCase(_dev, name, ["x", "w", "b"], t => Ops.Conv2d(t[0], t[1], t[2], stride, padding), ProductRtol, ProductAtol, ProductRtol, ProductAtol);

    [Fact]
    public void Conv2dWithoutBiasMatchesPyTorch() =>
        Fixture.RunCase(_dev, "conv_k3_s1_p0_nobias", ["x", "w"], t => Ops.Conv2d(t[0], t[1], null, 1, 0), ProductRtol, ProductAtol, ProductRtol, ProductAtol);

    [Theory]
    [InlineData("linear")]
    [InlineData("linear_rank3")]
    public void LinearMatchesPyTorch(string name) =>
        Fixture.RunCase(_dev, name, ["x", "w", "b"], t => Ops.Linear(t[0], t[1], t[2]), ProductRtol, ProductAtol, ProductRtol, ProductAtol);

    // A pure permutation of the elements both ways: must be exact.
    [Theory]
    [InlineData("pixel_shuffle_r2", 2)]
    [InlineData("pixel_shuffle_r3", 3)]
    public void PixelShuffleMatchesPyTorch(string name, int factor) =>
        Fixture.RunCase(_dev, name, ["x"], t => Ops.PixelShuffle(t[0], factor), 0, 0, 0, 0);

    // Sums of 4 or 9 values times 1/k^2 (PyTorch divides by k^2): a few ulp.
    [Theory]
    [InlineData("avg_pool_k2_s2", 2, 2)]
    [InlineData("avg_pool_k3_s2", 3, 2)]
    public void AvgPoolMatchesPyTorch(string name, int kernel, int stride) =>
        Fixture.RunCase(_dev, name, ["x"], t => Ops.AvgPool2d(t[0], kernel, stride), ElementRtol, ElementAtol, ElementRtol, ElementAtol);

    [Theory]
    [InlineData("leaky_relu")]
    [InlineData("relu")]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    [InlineData("abs")]
    [InlineData("square")]
    [InlineData("exp")]
    [InlineData("log")]
    [InlineData("sqrt")]
    public void ElementwiseMatchesPyTorch(string name)
    {
        Func<Tensor, Tensor> f = name switch
        {
            "leaky_relu" => x => Ops.LeakyRelu(x, 0.1f),
            "relu" => Ops.Relu,
            "sigmoid" => Ops.Sigmoid,
            "tanh" => Ops.Tanh,
            "abs" => Ops.Abs,
            "square" => Ops.Square,
            "exp" => Ops.Exp,
            "log" => Ops.Log,
            "sqrt" => Ops.Sqrt,
            _ => throw new ArgumentException(name),
        };
        // tanh' = 1 - y^2 and sigmoid' = y (1 - y) cancel where |y| -> 1: the few-ulp difference in
        // y (~6e-8 absolute) becomes an ABSOLUTE gradient error ~1e-7 |g|, which is up to 1e-3
        // relative where 1 - y^2 is small (observed 2.5e-4 for tanh). Hence an absolute floor of
        // 1e-6 of the gradient's scale for those two.
        double gradAtol = name is "tanh" or "sigmoid" ? 1e-6 : ElementAtol;
        Fixture.RunCase(_dev, name, ["x"], t => f(t[0]), ElementRtol, ElementAtol, ElementRtol, gradAtol);
    }

    // One multiply or divide per element; the gradient of a broadcast operand sums up to 8 terms.
    [Fact]
    public void BroadcastMulMatchesPyTorch() => Fixture.RunCase(_dev, "mul_broadcast", ["a", "b"], t => Ops.Mul(t[0], t[1]), ElementRtol, ElementAtol, ElementRtol, ElementAtol);

    [Fact]
    public void BroadcastDivMatchesPyTorch() => Fixture.RunCase(_dev, "div_broadcast", ["a", "b"], t => Ops.Div(t[0], t[1]), ElementRtol, ElementAtol, ElementRtol, ElementAtol);

    /// <summary>A scalar loss: compares its value and the gradients of the loss itself.</summary>
    private void RunLoss(string name, string[] inputNames, Func<Tensor[], Tensor> f, double rtol, double gradRtol, double gradAtol, double atol = 0)
    {
        using var scope = TensorScope.Begin();
        var inputs = inputNames.Select(n => Fixture.Get($"{name}.{n}", grad: true)).ToArray();
        var loss = f(inputs);
        _dev.Scalar($"{name} loss", loss.Item(), Fixture.Ref($"{name}.y")[0], rtol, atol);
        loss.Backward();
        for (int i = 0; i < inputs.Length; i++)
            if (Fixture.Has($"{name}.grad_{inputNames[i]}"))
                _dev.Check($"{name} grad {inputNames[i]}", inputs[i].Grad!.Span, Fixture.Ref($"{name}.grad_{inputNames[i]}"), gradRtol, gradAtol);
    }

    // Means of 150 terms; the gradients are sign(d)/n and 2d/n: rounding only.
    [Fact]
    public void L1LossMatchesPyTorch() => RunLoss("l1_loss", ["p", "t"], t => Ops.L1Loss(t[0], t[1]), 1e-6, ElementRtol, ElementAtol);

    [Fact]
    public void MseLossMatchesPyTorch() => RunLoss("mse_loss", ["p", "t"], t => Ops.MseLoss(t[0], t[1]), 1e-6, ElementRtol, ElementAtol);

    // DSSIM: PyTorch blurs with one 121-tap 2-D window, Doppel with two 11-tap passes, and the
    // variances E[x^2] - mu^2 cancel about two significant bits in float32 on both sides. The loss
    // is (1 - mean SSIM) / 2, a mean of ~1000 SSIM values: rtol 1e-5, plus atol 5e-7 because when
    // SSIM -> 1 (the "close" case, loss 0.007) the subtraction keeps only the low digits of a mean
    // known to ~1 ulp of 1.0 (6e-8; observed |d| = 6e-8, rel 8e-6). Each gradient element sums ~121
    // window terms of a per-pixel quotient (rtol 1e-4 / atol 1e-5 of scale).
    [Theory]
    [InlineData("dssim_loss")]
    [InlineData("dssim_loss_close")]
    public void DssimLossMatchesPyTorch(string name) => RunLoss(name, ["p", "t"], t => Ops.DssimLoss(t[0], t[1]), 1e-5, 1e-4, 1e-5, atol: 5e-7);

    // Doppel sums in double, PyTorch in float32 (mean of 28 terms); gradients sigmoid(x) - z.
    [Fact]
    public void BceWithLogitsMatchesPyTorch() => RunLoss("bce_with_logits", ["x", "z"], t => Ops.BceWithLogits(t[0], t[1]), 1e-6, 1e-5, 1e-6);

    // Adam alone: three given gradients (a row of them ~1e-8, where eps matters) applied to one
    // parameter; compares the parameter's change after each step. The change is ~lr = 5e-5 per
    // step and is computed in float32 on both sides (bias corrections, sqrt, divide): rtol 1e-5 of
    // the change. The parameter itself is then equal to ~1 ulp.
    [Fact]
    public void AdamStepsMatchPyTorch()
    {
        var p0 = Fixture.Ref("adam.p0");
        var param = Tensor.Parameter(Tensor.FromArray(p0, Fixture["adam.p0"].Shape), "p");
        var adam = new Optim.Adam([("p", param)], lr: 5e-5f, beta1: 0.5f, beta2: 0.999f, eps: 1e-8f);
        for (int t = 1; t <= 3; t++)
        {
            param.AccumulateGrad(Fixture.Ref($"adam.g{t}"));
            adam.StepAndZeroGrad();
            var delta = new float[p0.Length];
            var expected = new float[p0.Length];
            for (int i = 0; i < p0.Length; i++)
            {
                delta[i] = param.Data[i] - p0[i];
                expected[i] = Fixture.Ref($"adam.p{t}")[i] - p0[i];
            }
            // Each stored parameter is rounded to float32, ulp(0.05) ~ 4e-9 (1e-4 of the change of
            // ~lr): atol 2e-4 of the change's scale covers that rounding (observed 1.8e-5 of it).
            _dev.Check($"adam step {t} change", delta, expected, 1e-5, 2e-4);
            // The parameters: equal up to that rounding, i.e. ~1 ulp of the largest (1e-7 of scale);
            // a relative limit alone would fail on parameters near 0 (observed 1.9e-9 at 4.7e-5).
            _dev.Check($"adam step {t} parameter", param.Span, Fixture.Ref($"adam.p{t}"), 1e-6, 1e-7);
        }
        param.Dispose();
    }
}
