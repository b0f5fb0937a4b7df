using Doppel.Tensors.Kernels;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>NumPy broadcasting: result shapes, values against a naive index walk, errors, and summing back to a shape.</summary>
public sealed class BroadcastTests
{
    [Theory]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4 }, new[] { 2, 3, 4 })]
    [InlineData(new[] { 3, 1 }, new[] { 1, 4 }, new[] { 3, 4 })]
    [InlineData(new int[0], new[] { 2, 2 }, new[] { 2, 2 })]
    [InlineData(new[] { 2, 1, 5 }, new[] { 3, 1 }, new[] { 2, 3, 5 })]
    [InlineData(new[] { 2, 1, 1, 1 }, new[] { 2, 8, 8, 3 }, new[] { 2, 8, 8, 3 })]
    [InlineData(new[] { 1 }, new[] { 1 }, new[] { 1 })]
    public void Result_shapes(int[] a, int[] b, int[] expected)
    {
        Assert.Equal(expected, ShapeUtil.Broadcast("add", a, b));
        Assert.Equal(expected, ShapeUtil.Broadcast("add", b, a));
    }

    [Theory]
    [InlineData("add")]
    [InlineData("sub")]
    [InlineData("mul")]
    [InlineData("div")]
    public void Mismatch_names_the_op_and_both_shapes(string op)
    {
        var a = Tensor.Zeros(2, 3);
        var b = Tensor.Ones(4);
        Func<Tensor, Tensor, Tensor> f = op switch { "add" => Ops.Add, "sub" => Ops.Sub, "mul" => Ops.Mul, _ => Ops.Div };
        var e = Assert.Throws<ShapeMismatchException>(() => f(a, b));
        Assert.Equal(op, e.Op);
        Assert.StartsWith(op + ":", e.Message);
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[4]", e.Message);
    }

    public static TheoryData<int[], int[]> ShapePairs() => new()
    {
        { [2, 3, 4, 5], [5] },
        { [2, 3, 4, 5], [2, 1, 1, 1] },
        { [2, 3, 4, 5], [1, 3, 1, 5] },
        { [2, 1, 4, 1], [3, 1, 1] },
        { [3, 1], [1, 4] },
        { [4, 5], [] },
        { [], [4, 5] },
        { [6], [6] },
        { [2, 3, 4], [3, 1] },
        { [1, 1, 7], [2, 3, 1] },
        { [0, 3], [3] },
    };

    /// <summary>The flat index into a (right-aligned, broadcast) operand of an output index.</summary>
    private static int OperandIndex(int[] outIdx, int[] shape)
    {
        int offset = 0, lead = outIdx.Length - shape.Length;
        for (int d = 0; d < shape.Length; d++) offset = offset * shape[d] + (shape[d] == 1 ? 0 : outIdx[lead + d]);
        return offset;
    }

    private static int[] Unravel(int i, int[] shape)
    {
        var idx = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--) { idx[d] = i % shape[d]; i /= shape[d]; }
        return idx;
    }

    [Theory]
    [MemberData(nameof(ShapePairs))]
    public void Values_match_a_naive_index_walk(int[] aShape, int[] bShape)
    {
        var a = T.Uniform(400, -1, 1, aShape).Const();
        var b = T.AwayFromZero(401, 0.5f, 2, bShape).Const();
        var outShape = ShapeUtil.Broadcast("test", aShape, bShape);
        foreach (var (name, f, g) in new (string, Func<Tensor, Tensor, Tensor>, Func<double, double, double>)[]
                 {
                     ("add", Ops.Add, (x, y) => x + y), ("sub", Ops.Sub, (x, y) => x - y),
                     ("mul", Ops.Mul, (x, y) => x * y), ("div", Ops.Div, (x, y) => x / y),
                 })
        {
            var y = f(a, b);
            Assert.Equal(outShape, y.Shape);
            var expected = new double[y.Size];
            for (int i = 0; i < y.Size; i++)
            {
                var idx = Unravel(i, outShape);
                expected[i] = g(a.Data[OperandIndex(idx, aShape)], b.Data[OperandIndex(idx, bShape)]);
            }
            T.AssertClose(expected, y.Span, 1e-6, $"{name} {ShapeUtil.Format(aShape)} with {ShapeUtil.Format(bShape)}");
        }
    }

    [Theory]
    [MemberData(nameof(ShapePairs))]
    public void Sum_to_shape_matches_a_naive_reduction(int[] aShape, int[] bShape)
    {
        var outShape = ShapeUtil.Broadcast("test", aShape, bShape);
        foreach (var target in new[] { aShape, bShape })
        {
            var src = new float[ShapeUtil.Count(outShape)];
            new Rng(402).FillUniform(src, -1, 1);
            var expected = new double[ShapeUtil.Count(target)];
            for (int i = 0; i < src.Length; i++) expected[OperandIndex(Unravel(i, outShape), target)] += src[i];

            var dst = new float[expected.Length];
            dst.AsSpan().Fill(float.NaN); // overwritten, not accumulated
            Broadcasting.SumToShape(src, outShape, dst, target, accumulate: false);
            T.AssertClose(expected, dst, 1e-5, $"sum {ShapeUtil.Format(outShape)} to {ShapeUtil.Format(target)}");

            dst.AsSpan().Fill(1f);
            Broadcasting.SumToShape(src, outShape, dst, target, accumulate: true);
            T.AssertClose(expected.Select(e => e + 1).ToArray(), dst, 1e-5, $"accumulate {ShapeUtil.Format(outShape)} into {ShapeUtil.Format(target)}");
        }
    }

    [Fact]
    public void Large_broadcast_runs_split_across_cores_give_the_same_values()
    {
        // Above the parallel threshold (64K elements): one long run, and many short runs.
        var a = T.Uniform(403, -1, 1, 4, 64, 64, 8).Const();
        var bias = T.Uniform(404, -1, 1, 8).Const();
        var s = T.Uniform(405, -1, 1, 4, 1, 1, 1).Const();
        var y = Ops.Add(Ops.Mul(a, s), bias);
        for (int i = 0; i < y.Size; i += 97)
            Assert.Equal(a.Data[i] * s.Data[i / (64 * 64 * 8)] + bias.Data[i % 8], y.Data[i], 5);
        var sum = Ops.Add(a, a);
        for (int i = 0; i < sum.Size; i += 101) Assert.Equal(2 * a.Data[i], sum.Data[i]);
    }
}
