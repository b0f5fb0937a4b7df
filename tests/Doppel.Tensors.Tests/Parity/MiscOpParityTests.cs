using Doppel.Tensors.Nn;
using Doppel.Tensors.Tests.Support;
using Xunit.Abstractions;

namespace Doppel.Tensors.Tests.Parity;

/// <summary>
/// Maxout, concat/split, clamp, softmax, log-softmax, softmax cross-entropy, BCE with logits and
/// the ReLU / Tanh modules against PyTorch 1.13 (bench/torch_parity_misc.py,
/// tests/data/parity/misc.safetensors): same inputs, the same outputs and the same gradients of
/// sum(y * R) (losses: of the loss) for every input that has one. Tolerances as in
/// <see cref="OpParityTests"/>: |d| &lt;= rtol |ref| + atol max|ref|.
/// </summary>
public sealed class MiscOpParityTests(ITestOutputHelper output)
{
    private static readonly ParityData Fixture = new("misc.safetensors");

    private readonly Deviation _dev = new(output);

    // Selections and copies (max, concat, split, clamp, relu) move values without arithmetic: exact.
    private const double Exact = 0;
    // A 10-term dot product before the max (the maxout layer): float32 rounding in another order.
    private const double ProductRtol = 1e-4, ProductAtol = 1e-5;
    // exp/log of TensorPrimitives vs PyTorch's SLEEF, then sums of up to 19 terms: a few ulp.
    private const double SoftRtol = 1e-5, SoftAtol = 1e-6;

    /// <summary>A scalar loss: its value and the gradient of every input the fixture has one for.</summary>
    private void RunLoss(string name, string[] inputNames, Func<Tensor[], Tensor> f, double rtol, double gradRtol, double gradAtol)
    {
        using var scope = TensorScope.Begin();
        var inputs = inputNames.Select(n => Fixture.Get($"{name}.{n}", grad: Fixture.Has($"{name}.grad_{n}"))).ToArray();
        var loss = f(inputs);
        _dev.Scalar($"{name} loss", loss.Item(), Fixture.Ref($"{name}.y")[0], rtol);
        loss.Backward();
        int compared = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!Fixture.Has($"{name}.grad_{inputNames[i]}")) continue;
            _dev.Check($"{name} grad {inputNames[i]}", inputs[i].Grad!.Span, Fixture.Ref($"{name}.grad_{inputNames[i]}"), gradRtol, gradAtol);
            compared++;
        }
        Assert.True(compared > 0, $"{name}: the fixture holds no gradient");
    }

    [Theory]
    [InlineData("maxout_k5", 5)]
    [InlineData("maxout_k2", 2)]
    public void MaxoutMatchesPyTorch(string name, int pieces) =>
        Fixture.RunCase(_dev, name, ["x"], t => Ops.Maxout(t[0], pieces), Exact, Exact, Exact, Exact);

    [Fact]
    public void MaxoutLayerMatchesPyTorch()
    {
        // The layer with the fixture's weight and bias loaded into it by name.
        var layer = new Maxout(10, 4, 3, new Rng(1));
        using (var scope = TensorScope.Begin())
            layer.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = Fixture.Get("maxout_layer.w"), ["bias"] = Fixture.Get("maxout_layer.b") });
        using (var scope = TensorScope.Begin())
        {
            var x = Fixture.Get("maxout_layer.x", grad: true);
            var y = layer.Forward(x);
            _dev.Check("maxout_layer y", y.Span, Fixture.Ref("maxout_layer.y"), ProductRtol, ProductAtol);
            Ops.Sum(Ops.Mul(y, Fixture.Get("maxout_layer.r"))).Backward();
            _dev.Check("maxout_layer grad x", x.Grad!.Span, Fixture.Ref("maxout_layer.grad_x"), ProductRtol, ProductAtol);
            _dev.Check("maxout_layer grad w", layer.Weight.Grad!.Span, Fixture.Ref("maxout_layer.grad_w"), ProductRtol, ProductAtol);
            _dev.Check("maxout_layer grad b", layer.Bias!.Grad!.Span, Fixture.Ref("maxout_layer.grad_b"), ProductRtol, ProductAtol);
            x.ZeroGrad();
        }
        layer.ZeroGrad();
    }

    [Fact]
    public void ConcatAlongChannelsMatchesPyTorch() =>
        Fixture.RunCase(_dev, "concat_channels", ["a", "b", "c"], t => Ops.Concat(t, -1), Exact, Exact, Exact, Exact);

    [Fact]
    public void ConcatAlongHeightMatchesPyTorch() =>
        Fixture.RunCase(_dev, "concat_h", ["a", "b"], t => Ops.Concat(t, 1), Exact, Exact, Exact, Exact);

    [Fact]
    public void SplitAlongChannelsMatchesPyTorch()
    {
        using var scope = TensorScope.Begin();
        var x = Fixture.Get("split_channels.x", grad: true);
        var parts = Ops.Split(x, [2, 4, 3], -1);
        Assert.Equal(3, parts.Length);
        Tensor? total = null;
        for (int i = 0; i < parts.Length; i++)
        {
            Assert.Equal(Fixture[$"split_channels.y{i}"].Shape, parts[i].Shape);
            _dev.Check($"split y{i}", parts[i].Span, Fixture.Ref($"split_channels.y{i}"), Exact, Exact);
            var term = Ops.Sum(Ops.Mul(parts[i], Fixture.Get($"split_channels.r{i}")));
            total = total is null ? term : Ops.Add(total, term);
        }
        total!.Backward();
        _dev.Check("split grad x", x.Grad!.Span, Fixture.Ref("split_channels.grad_x"), Exact, Exact);
    }

    // Includes elements exactly on both bounds, where PyTorch passes the gradient.
    [Fact]
    public void ClampMatchesPyTorch() => Fixture.RunCase(_dev, "clamp", ["x"], t => Ops.Clamp(t[0], -1f, 1.5f), Exact, Exact, Exact, Exact);

    // softmax' = y (g - <g, y>): the subtraction cancels where g ~ <g, y>, so the gradient's floor is
    // absolute (1e-6 of its scale), as for tanh and sigmoid in OpParityTests.
    [Theory]
    [InlineData("softmax")]
    [InlineData("softmax_rank3")]
    public void SoftmaxMatchesPyTorch(string name) =>
        Fixture.RunCase(_dev, name, ["x"], t => Ops.Softmax(t[0]), SoftRtol, SoftAtol, SoftRtol, SoftAtol);

    [Theory]
    [InlineData("log_softmax")]
    [InlineData("log_softmax_rank3")]
    public void LogSoftmaxMatchesPyTorch(string name) =>
        Fixture.RunCase(_dev, name, ["x"], t => Ops.LogSoftmax(t[0]), SoftRtol, SoftAtol, SoftRtol, SoftAtol);

    [Fact]
    public void SoftmaxModuleMatchesPyTorch() => Fixture.RunCase(_dev, "softmax", ["x"], t => new Nn.Softmax().Forward(t[0]), SoftRtol, SoftAtol, SoftRtol, SoftAtol);

    private static int[] Labels(string name) => Fixture.Ref($"{name}.labels").Select(v => (int)v).ToArray();

    // A mean of 6 row losses, each max + log(sum of 5 exps) - x[y]; one row holds logits of +-100.
    [Theory]
    [InlineData("ce", false, 0f)]
    [InlineData("ce_weighted", true, 0f)]
    [InlineData("ce_smoothed", false, 0.1f)]
    [InlineData("ce_weighted_smoothed", true, 0.2f)]
    [InlineData("ce_rank3", false, 0f)]
    public void SoftmaxCrossEntropyMatchesPyTorch(string name, bool weighted, float smoothing)
    {
        var labels = Labels(name);
        float[]? weights = weighted ? Fixture.Ref($"{name}.weights") : null;
        RunLoss(name, ["x"], t => Ops.SoftmaxCrossEntropy(t[0], labels, weights, smoothing), SoftRtol, SoftRtol, SoftAtol);
    }

    // Doppel sums in double, PyTorch in float32 (means of 21 or 8 terms); gradients use a few exps.
    [Fact]
    public void BceMatchesPyTorch() => RunLoss("bce", ["x", "z"], t => Ops.BceWithLogits(t[0], t[1]), 1e-6, 1e-5, 1e-6);

    [Fact]
    public void BceWithPosWeightMatchesPyTorch() =>
        RunLoss("bce_pos_weight", ["x", "z", "p"], t => Ops.BceWithLogits(t[0], t[1], posWeight: t[2]), 1e-6, 1e-5, 1e-6);

    [Fact]
    public void BceWithWeightMatchesPyTorch() =>
        RunLoss("bce_weight", ["x", "z", "w"], t => Ops.BceWithLogits(t[0], t[1], weight: t[2]), 1e-6, 1e-5, 1e-6);

    [Fact]
    public void BceWithBroadcastWeightAndPosWeightMatchesPyTorch() =>
        RunLoss("bce_both", ["x", "z", "w", "p"], t => Ops.BceWithLogits(t[0], t[1], t[2], t[3]), 1e-6, 1e-5, 1e-6);

    [Fact]
    public void BceWithLogitsOfHundredMatchesPyTorch() =>
        RunLoss("bce_large", ["x", "z", "p"], t => Ops.BceWithLogits(t[0], t[1], posWeight: t[2]), 1e-6, 1e-5, 1e-6);

    // The weight and pos_weight gradients, against PyTorch's autograd of the written-out formula.
    [Fact]
    public void BceWeightGradientsMatchTheFormulaInPyTorch() =>
        RunLoss("bce_formula", ["x", "z", "w", "p"], t => Ops.BceWithLogits(t[0], t[1], t[2], t[3]), 1e-6, 1e-5, 1e-6);

    /// <summary>The same BCE cases on the scalar twin and on each vector width.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(256)]
    [InlineData(512)]
    public void BceOnEveryKernelPathMatchesPyTorch(int width) => KernelSwitch.Bce(width, () =>
    {
        BceWithBroadcastWeightAndPosWeightMatchesPyTorch();
        BceWithLogitsOfHundredMatchesPyTorch();
        BceWeightGradientsMatchTheFormulaInPyTorch();
    });

    [Fact]
    public void ReluModuleMatchesPyTorch() => Fixture.RunCase(_dev, "relu_module", ["x"], t => new ReLU().Forward(t[0]), Exact, Exact, Exact, Exact);

    // tanh' = 1 - y^2 cancels where |y| -> 1: an absolute floor of 1e-6 of the gradient's scale.
    [Fact]
    public void TanhModuleMatchesPyTorch() => Fixture.RunCase(_dev, "tanh_module", ["x"], t => new Nn.Tanh().Forward(t[0]), 2e-6, 1e-7, 2e-6, 1e-6);
}
