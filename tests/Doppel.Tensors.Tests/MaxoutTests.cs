using Doppel.Tensors.Nn;
using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>The maxout op (max over groups of consecutive last-axis features) and the Maxout layer.</summary>
public sealed class MaxoutTests
{
    /// <summary>
    /// Values whose groups have a clear maximum: piece j of each group gets the group's random base
    /// plus a distinct level 0.1 * perm(j) and noise under 0.01, so the pieces are at least 0.08 apart
    /// and a finite-difference step of 0.01 never moves the arg-max (nor in any sub-group).
    /// </summary>
    private static Tensor Untied(ulong seed, int pieces, params int[] shape)
    {
        var rng = new Rng(seed);
        var v = new float[ShapeUtil.Count(shape)];
        for (int g = 0; g < v.Length / pieces; g++)
        {
            float level = rng.Uniform(-2f, 2f);
            var levels = Enumerable.Range(0, pieces).OrderBy(_ => rng.NextDouble()).ToArray();
            for (int j = 0; j < pieces; j++) v[g * pieces + j] = level + 0.1f * levels[j] + rng.Uniform(-0.01f, 0.01f);
        }
        return T.Leaf(v, shape);
    }

    [Theory]
    [InlineData(5, new[] { 2, 3, 20 })]
    [InlineData(2, new[] { 4, 6 })]
    [InlineData(1, new[] { 3, 4 })]
    [InlineData(3, new[] { 2, 2, 2, 9 })]
    public void Takes_the_max_of_consecutive_pieces_and_passes_the_gradient_to_it(int pieces, int[] shape)
    {
        var x = Untied(300 + (ulong)pieces, pieces, shape);
        var y = Ops.Maxout(x, pieces);
        var expectedShape = (int[])shape.Clone();
        expectedShape[^1] /= pieces;
        Assert.Equal(expectedShape, y.Shape);
        for (int u = 0; u < y.Size; u++)
            Assert.Equal(x.Data.Skip(u * pieces).Take(pieces).Max(), y.Data[u]);
        GradCheck.Assert(t => Ops.Maxout(t[0], pieces), x);
    }

    [Fact]
    public void Ties_send_the_gradient_to_the_first_piece_and_NaN_propagates()
    {
        var x = T.Leaf([1f, 3f, 3f, 0f, float.NaN, 2f, 5f, 5f], 2, 4);
        var y = Ops.Maxout(x, 4);
        Assert.Equal(3f, y.Data[0]);
        Assert.True(float.IsNaN(y.Data[1]));
        Ops.Sum(Ops.Mul(y, Tensor.FromArray([1f, 2f], 2, 1))).Backward();
        Assert.Equal([0f, 1f, 0f, 0f, 2f, 0f, 0f, 0f], x.Grad!.Data);
    }

    [Fact]
    public void Gradients_accumulate_over_two_uses()
    {
        var x = Untied(310, 4, 3, 4);
        // (3, 2) + (3, 1) broadcast: each input element reaches the output through both maxes.
        GradCheck.Assert(t => Ops.Add(Ops.Maxout(t[0], 2), Ops.Maxout(t[0], 4)), x);
    }

    [Fact]
    public void Bad_pieces_are_refused()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Ops.Maxout(Tensor.Zeros(2, 7), 3));
        Assert.Contains("multiple of the pieces", e.Message);
        Assert.Throws<ArgumentException>(() => Ops.Maxout(Tensor.Zeros(2, 6), 0));
        Assert.Throws<ArgumentException>(() => new Maxout(4, 0, 5, new Rng(1)));
    }

    [Fact]
    public void The_layer_is_a_linear_map_to_units_times_pieces_then_the_max()
    {
        var layer = new Maxout(6, units: 3, pieces: 4, new Rng(320));
        Assert.Equal(["weight", "bias"], layer.NamedParameters().Select(p => p.Name));
        Assert.Equal([12, 6], layer.Weight.Shape);
        var rng = new Rng(321);
        // Spread the biases so every unit's pieces are at least 0.8 apart before the max (weights
        // times inputs stay within +-0.6), keeping the arg-max fixed under the finite-difference steps.
        for (int u = 0; u < 3; u++)
        {
            var levels = Enumerable.Range(0, 4).OrderBy(_ => rng.NextDouble()).ToArray();
            for (int j = 0; j < 4; j++) layer.Bias!.Data[u * 4 + j] = 2f * levels[j];
        }
        for (int i = 0; i < layer.Weight.Size; i++) layer.Weight.Data[i] *= 0.1f;
        var x = T.Uniform(322, -1, 1, 2, 6);
        var y = layer.Forward(x);
        Assert.Equal([2, 3], y.Shape);
        var z = Ops.Linear(x, layer.Weight, layer.Bias);
        for (int i = 0; i < y.Size; i++) Assert.Equal(z.Data.Skip(i * 4).Take(4).Max(), y.Data[i]);
        GradCheck.Assert(t => layer.Forward(t[0]), x, layer.Weight, layer.Bias!);
        layer.ZeroGrad();
    }

    [Fact]
    public void The_papers_discriminator_layer_has_the_expected_size()
    {
        // Goodfellow et al.'s MNIST discriminator: 784 inputs to 240 units x 5 pieces.
        var layer = new Maxout(784, 240, 5, new Rng(1));
        Assert.Equal(784L * 1200 + 1200, layer.ParameterCount);
        using var scope = TensorScope.Begin();
        Assert.Equal([3, 240], layer.Forward(Tensor.Zeros(3, 784)).Shape);
    }
}
