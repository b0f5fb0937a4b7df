using Doppel.Core;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Tensors.Tests;

public sealed class GradientClippingTests
{
    private static Tensor WithGrad(float[] grad)
    {
        var p = Tensor.Parameter(Tensor.Zeros(grad.Length));
        p.AccumulateGrad(grad);
        return p;
    }

    [Fact]
    public void Above_the_limit_the_gradients_are_scaled_to_it_and_the_norm_is_returned()
    {
        var a = WithGrad([3f, 0f]);
        var b = WithGrad([0f, 4f, 0f]); // global norm 5 (3-4-5 across two tensors)
        var frozen = Tensor.Parameter(Tensor.Ones(2)); // no gradient: skipped
        float norm = GradientClipping.ClipByGlobalNorm([a, b, frozen], maxNorm: 1f);
        Assert.Equal(5f, norm);
        float coef = 1f / (5f + 1e-6f);
        Assert.Equal([3f * coef, 0f], a.Grad!.ToArray());
        Assert.Equal([0f, 4f * coef, 0f], b.Grad!.ToArray());
        Assert.Null(frozen.Grad);
        double after = Math.Sqrt(a.Grad.Data.Concat(b.Grad.Data).Sum(x => (double)x * x));
        Assert.InRange(after, 1 - 1e-6, 1);
    }

    [Fact]
    public void Below_the_limit_nothing_changes()
    {
        var a = WithGrad([0.3f, -0.4f]);
        float norm = GradientClipping.ClipByGlobalNorm([("a", a)], maxNorm: 1f);
        Assert.Equal(0.5f, norm, 6);
        Assert.Equal([0.3f, -0.4f], a.Grad!.ToArray());
    }

    [Fact]
    public void The_norm_of_many_elements_is_summed_accurately()
    {
        // 10^6 elements of 1e-3: norm exactly 1; a float running sum would drift by ~1e-4.
        var a = WithGrad(Enumerable.Repeat(1e-3f, 1_000_000).ToArray());
        var opt = new Sgd([("a", a)], lr: 0.1f);
        float norm = opt.ClipGradNorm(10f);
        Assert.Equal(Math.Sqrt(1e6 * (double)1e-3f * 1e-3f), norm, 1e-6);
    }

    [Fact]
    public void A_non_finite_norm_poisons_the_gradients_like_pytorch_or_throws_when_asked()
    {
        var a = WithGrad([float.NaN, 1f]);
        Assert.True(float.IsNaN(GradientClipping.ClipByGlobalNorm([a], 1f)));
        Assert.True(float.IsNaN(a.Grad!.Data[1]));
        var b = WithGrad([float.PositiveInfinity, 1f]);
        var e = Assert.Throws<DoppelException>(() => GradientClipping.ClipByGlobalNorm([b], 1f, errorIfNonFinite: true));
        Assert.Contains("norm", e.Message);
        Assert.Equal(1f, b.Grad!.Data[1]); // untouched when it throws
    }

    [Fact]
    public void No_gradients_give_norm_zero()
    {
        Assert.Equal(0f, GradientClipping.ClipByGlobalNorm(Array.Empty<Tensor>(), 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm(Array.Empty<Tensor>(), -1f));
    }
}
