using Doppel.Tensors.Nn;
using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>
/// Inverted dropout: the gradient, the statistics of the masks (PyTorch's masks come from another
/// generator, so parity is about the keep rate and the preserved mean), reproducibility from a
/// seed, and the identity in eval mode.
/// </summary>
public sealed class DropoutTests
{
    [Fact]
    public void Gradient_with_a_given_mask_is_masked_and_scaled()
    {
        var x = T.Uniform(1, -1f, 1f, 3, 7);
        using var scope = TensorScope.Begin();
        var keep = Ops.DropoutMask([3, 7], 0.4f, new Rng(2));
        Assert.Contains(0f, keep.ToArray());
        Assert.Contains(1f, keep.ToArray());
        GradCheck.Assert(t => Ops.Dropout(t[0], keep, 0.4f), x);
    }

    [Fact]
    public void Gradient_of_the_drawn_mask_is_the_scaled_mask()
    {
        using var scope = TensorScope.Begin();
        var x = T.Leaf(Enumerable.Repeat(1f, 1000).ToArray(), 1000);
        var y = Ops.Dropout(x, 0.5f, new Rng(3));
        Ops.Sum(y).Backward();
        // x = 1: y holds the mask times 1 / (1 - p), which is also dy/dx.
        Assert.Equal(y.ToArray(), x.Grad!.ToArray());
        Assert.All(y.ToArray(), v => Assert.True(v == 0f || v == 2f, $"{v}"));
    }

    [Theory]
    [InlineData(0.2f)] // Goodfellow et al.'s MNIST discriminator: keep 0.8 of the input
    [InlineData(0.5f)] // and 0.5 of the hidden units
    [InlineData(0.9f)]
    public void Keep_rate_and_mean_are_preserved(float p)
    {
        const int n = 200_000;
        using var scope = TensorScope.Begin();
        var x = T.Uniform(4, 0.5f, 1.5f, n).Const();
        var y = Ops.Dropout(x, p, new Rng(5)).ToArray();
        int kept = 0;
        double sumX = 0, sumY = 0;
        for (int i = 0; i < n; i++)
        {
            sumX += x.Data[i];
            sumY += y[i];
            if (y[i] == 0f) continue;
            kept++;
            Assert.True(Math.Abs(y[i] - x.Data[i] / (1 - p)) <= 1e-6 * y[i], $"kept element {i}: {y[i]}, expected {x.Data[i] / (1 - p)}");
        }
        // Binomial: the keep rate within 5 standard deviations of 1 - p.
        double rateSigma = Math.Sqrt(p * (1 - p) / n);
        Assert.InRange(kept / (double)n, 1 - p - 5 * rateSigma, 1 - p + 5 * rateSigma);
        // E[y] = x: the mean of y within 5 standard deviations (var of y_i = x_i^2 p / (1 - p)) of x's.
        double meanSigma = Math.Sqrt(p / (1 - p) * 1.1 / n);
        Assert.InRange(sumY / n, sumX / n - 5 * meanSigma, sumX / n + 5 * meanSigma);
    }

    [Fact]
    public void Module_is_the_identity_in_eval_mode_and_reproducible_from_a_seed()
    {
        using var scope = TensorScope.Begin();
        var x = T.Uniform(6, -1f, 1f, 8, 50).Const();
        var a = new Dropout(0.5f, new Rng(7));
        var b = new Dropout(0.5f, new Rng(7));
        var ya = a.Forward(x).ToArray();
        Assert.Equal(ya, b.Forward(x).ToArray());
        Assert.NotEqual(ya, a.Forward(x).ToArray()); // the next batch gets a new mask
        Assert.NotEqual(ya, new Dropout(0.5f, new Rng(8)).Forward(x).ToArray());
        a.Eval();
        Assert.Same(x, a.Forward(x));
        Assert.Same(x, new Dropout(0f, new Rng(9)).Forward(x));
    }

    [Fact]
    public void All_or_nothing_and_bad_arguments()
    {
        using var scope = TensorScope.Begin();
        var x = T.Uniform(10, 1f, 2f, 64).Const();
        Assert.Equal(x.ToArray(), Ops.Dropout(x, 0f, new Rng(11)).ToArray());
        Assert.All(Ops.Dropout(x, 1f, new Rng(12)).ToArray(), v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentException>(() => Ops.Dropout(x, 1.5f, new Rng(13)));
        Assert.Throws<ArgumentException>(() => new Dropout(-0.1f, new Rng(13)));
        Assert.Throws<ArgumentException>(() => Ops.Dropout(x, Tensor.Full(0.5f, 64), 0.5f));
        Assert.Throws<ShapeMismatchException>(() => Ops.Dropout(x, Tensor.Ones(63), 0.5f));
    }
}
