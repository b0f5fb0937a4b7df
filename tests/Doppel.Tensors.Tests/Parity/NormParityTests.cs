using Doppel.Tensors.Nn;
using Xunit.Abstractions;

namespace Doppel.Tensors.Tests.Parity;

/// <summary>
/// The normalisation layers against PyTorch 1.13 modules (bench/torch_parity_norm.py,
/// tests/data/parity/norm.safetensors): outputs, gradients of sum(y * R) for the input, weight
/// and bias, BatchNorm2d's running statistics after each of three training-mode forwards and
/// num_batches_tracked, then an eval-mode forward with its gradients. Tolerances as in
/// <see cref="OpParityTests"/>: |d| &lt;= rtol |ref| + atol max|ref|.
/// </summary>
public sealed class NormParityTests(ITestOutputHelper output)
{
    private static readonly ParityData Fixture = new("norm.safetensors");

    private readonly Deviation _dev = new(output);

    // Statistics are sums of at most 40 values (in double on both sides, PyTorch's CPU kernels
    // accumulate float in double), then a handful of float operations per element: a few ulp of
    // the output. The gradients subtract two means (of g and of g * xhat) from g, so their error
    // is a few ulp of g's scale, not of the (possibly small) result: hence the absolute floor.
    private const double Rtol = 1e-5, Atol = 1e-6;
    // Weight and bias gradients and running statistics: sums over the batch, same reasoning.
    private const double SumRtol = 1e-5, SumAtol = 1e-6;

    /// <summary>Copies the fixture's weight and bias into a module's parameters.</summary>
    private static void SetAffine(string name, Tensor? weight, Tensor? bias)
    {
        Fixture.Ref($"{name}.w").CopyTo(weight!.Span);
        Fixture.Ref($"{name}.b").CopyTo(bias!.Span);
    }

    /// <summary>y = module(x{suffix}); compares y and the gradients of sum(y * R) with the fixture's.</summary>
    private void CheckForward(string name, string suffix, Module<Tensor, Tensor> module, Tensor? weight, Tensor? bias)
    {
        using var scope = TensorScope.Begin();
        module.ZeroGrad();
        var x = Fixture.Get($"{name}.x{suffix}", grad: true);
        var y = module.Forward(x);
        Assert.Equal(Fixture[$"{name}.y{suffix}"].Shape, y.Shape);
        _dev.Check($"{name} y{suffix}", y.Span, Fixture.Ref($"{name}.y{suffix}"), Rtol, Atol);
        Ops.Sum(Ops.Mul(y, Fixture.Get($"{name}.r{suffix}"))).Backward();
        _dev.Check($"{name} grad x{suffix}", x.Grad!.Span, Fixture.Ref($"{name}.grad_x{suffix}"), Rtol, Atol);
        if (weight is null) return;
        _dev.Check($"{name} grad w{suffix}", weight.Grad!.Span, Fixture.Ref($"{name}.grad_w{suffix}"), SumRtol, SumAtol);
        _dev.Check($"{name} grad b{suffix}", bias!.Grad!.Span, Fixture.Ref($"{name}.grad_b{suffix}"), SumRtol, SumAtol);
    }

    private void CheckRunning(string name, BatchNorm2d bn, string suffix)
    {
        _dev.Check($"{name} running_mean{suffix}", bn.RunningMean!.Span, Fixture.Ref($"{name}.running_mean{suffix}"), SumRtol, SumAtol);
        _dev.Check($"{name} running_var{suffix}", bn.RunningVar!.Span, Fixture.Ref($"{name}.running_var{suffix}"), SumRtol, SumAtol);
    }

    [Fact]
    public void BatchNorm2d_training_forwards_running_statistics_and_eval_forward_match_pytorch()
    {
        var bn = new BatchNorm2d(19);
        SetAffine("bn", bn.Weight, bn.Bias);
        CheckForward("bn", "1", bn, bn.Weight, bn.Bias);
        CheckRunning("bn", bn, "1");
        foreach (string t in new[] { "2", "3" })
        {
            using (TensorScope.Begin()) bn.Forward(Fixture.Get($"bn.x{t}"));
            CheckRunning("bn", bn, t);
        }
        Assert.Equal(Fixture.Ref("bn.num_batches_tracked")[0], bn.NumBatchesTracked!.Item());
        bn.Eval();
        CheckForward("bn", "e", bn, bn.Weight, bn.Bias);
        CheckRunning("bn", bn, "3"); // eval leaves them alone
        Assert.Equal(3f, bn.NumBatchesTracked.Item());
    }

    [Fact]
    public void BatchNorm2d_cumulative_average_matches_pytorch()
    {
        var bn = new BatchNorm2d(5, momentum: null);
        SetAffine("bn_cma", bn.Weight, bn.Bias);
        using var scope = TensorScope.Begin();
        Tensor? y = null;
        foreach (string t in new[] { "1", "2", "3" }) y = bn.Forward(Fixture.Get($"bn_cma.x{t}"));
        _dev.Check("bn_cma y3", y!.Span, Fixture.Ref("bn_cma.y3"), Rtol, Atol);
        CheckRunning("bn_cma", bn, "3");
    }

    [Fact]
    public void BatchNorm2d_without_affine_matches_pytorch() => CheckForward("bn_plain", "", new BatchNorm2d(3, affine: false), null, null);

    [Fact]
    public void InstanceNorm2d_matches_pytorch()
    {
        var norm = new InstanceNorm2d(19, affine: true);
        SetAffine("in", norm.Weight, norm.Bias);
        CheckForward("in", "", norm, norm.Weight, norm.Bias);
        CheckForward("in_plain", "", new InstanceNorm2d(6), null, null);
    }

    [Fact]
    public void LayerNorm_matches_pytorch()
    {
        var ln = new LayerNorm(21);
        SetAffine("ln", ln.Weight, ln.Bias);
        CheckForward("ln", "", ln, ln.Weight, ln.Bias);
        var ln2 = new LayerNorm([4, 5]);
        SetAffine("ln2", ln2.Weight, ln2.Bias);
        CheckForward("ln2", "", ln2, ln2.Weight, ln2.Bias);
        CheckForward("ln_plain", "", new LayerNorm(33, elementwiseAffine: false), null, null);
    }
}
