using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>Concatenation and splitting along channels (the last NHWC axis), as U-Net skips use them.</summary>
public sealed class SplitConcatTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    [InlineData(1)]
    public void Split_undoes_concat_and_each_part_has_its_own_gradient(int axis)
    {
        var x = T.Uniform(500, -1, 1, 2, 3, 4, 6);
        int length = x.Shape[axis < 0 ? axis + 4 : axis];
        int[] sizes = length == 6 ? [1, 0, 3, 2] : [2, 0, 1];
        var parts = Ops.Split(x, sizes, axis);
        Assert.Equal(sizes.Length, parts.Length);
        Assert.Equal(sizes, parts.Select(p => p.Dim(axis)));
        Assert.Equal(x.Data, Ops.Concat(parts, axis).Data);
        // Every part used (with different weights), then only the last one: the rest get zero.
        GradCheck.Assert(t =>
        {
            var p = Ops.Split(t[0], sizes, axis);
            return Ops.Concat([Ops.Mul(p[0], 2f), p[1], Ops.Square(p[2]), .. p.Skip(3)], axis);
        }, x);
        GradCheck.Assert(t => Ops.Split(t[0], sizes, axis)[^1], x);
    }

    [Fact]
    public void Split_into_equal_parts()
    {
        var x = T.Uniform(501, -1, 1, 2, 2, 2, 6);
        var parts = Ops.Split(x, 3, -1);
        Assert.All(parts, p => Assert.Equal([2, 2, 2, 2], p.Shape));
        Assert.Equal(x.Data, Ops.Concat(parts, -1).Data);
        GradCheck.Assert(t => Ops.Mul(Ops.Split(t[0], 3, -1)[0], Ops.Split(t[0], 3, -1)[2]), x);
    }

    [Fact]
    public void A_unet_skip_concatenates_channels_before_a_convolution()
    {
        // decoder features (N, H, W, 3) ++ encoder skip (N, H, W, 2) -> conv over 5 channels
        var up = T.Uniform(502, -1, 1, 1, 4, 4, 3);
        var skip = T.Uniform(503, -1, 1, 1, 4, 4, 2);
        var w = T.Uniform(504, -0.5f, 0.5f, 2, 3, 3, 5);
        GradCheck.Assert(t => Ops.Conv2d(Ops.Concat([t[0], t[1]], -1), t[2], null, 1, 1), up, skip, w);
    }

    [Fact]
    public void Concat_keeps_its_parts_when_the_callers_array_is_reused()
    {
        var a = T.Uniform(505, -1, 1, 2, 3);
        var b = T.Uniform(506, -1, 1, 2, 2);
        var parts = new[] { a, b };
        var y = Ops.Concat(parts, -1);
        parts[0] = parts[1] = Tensor.Zeros(2, 1);
        Ops.Sum(Ops.Mul(y, y)).Backward();
        T.AssertClose(a.Data.Select(v => 2.0 * v).ToArray(), a.Grad!.Span, 1e-6, "a");
        T.AssertClose(b.Data.Select(v => 2.0 * v).ToArray(), b.Grad!.Span, 1e-6, "b");
    }

    [Fact]
    public void Bad_splits_are_refused()
    {
        var x = Tensor.Zeros(2, 5);
        Assert.Contains("add up to 4", Assert.Throws<ArgumentException>(() => Ops.Split(x, [1, 3], 1)).Message);
        Assert.Contains("negative size", Assert.Throws<ArgumentException>(() => Ops.Split(x, [6, -1], 1)).Message);
        Assert.Contains("axis 2", Assert.Throws<ArgumentException>(() => Ops.Split(x, [5], 2)).Message);
        Assert.Contains("2 equal parts", Assert.Throws<ArgumentException>(() => Ops.Split(x, 2, -1)).Message);
    }
}
