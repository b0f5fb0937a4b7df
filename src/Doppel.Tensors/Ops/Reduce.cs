using System.Numerics.Tensors;
using Doppel.Tensors.Autograd;
using Doppel.Tensors.Kernels;

namespace Doppel.Tensors;

/// <summary>Sums and means, over everything or over chosen axes.</summary>
public static partial class Ops
{
    /// <summary>The sum of all elements, as a scalar tensor.</summary>
    public static Tensor Sum(Tensor x)
    {
        var y = Tensor.Scalar(TensorPrimitives.Sum(x.Span));
        return OpRecorder.Record(y, "sum", [x], g => FillGrad(x, g.Data[0]));
    }

    /// <summary>The mean of all elements, as a scalar tensor.</summary>
    public static Tensor Mean(Tensor x)
    {
        if (x.Size == 0) throw new ArgumentException("mean of an empty tensor");
        float n = x.Size;
        var y = Tensor.Scalar(TensorPrimitives.Sum(x.Span) / n);
        return OpRecorder.Record(y, "mean", [x], g => FillGrad(x, g.Data[0] / n));
    }

    /// <summary>Sums over <paramref name="axes"/>; kept axes keep size 1 when keepDims.</summary>
    public static Tensor Sum(Tensor x, int[] axes, bool keepDims = false)
    {
        var kept = (int[])x.Shape.Clone();
        foreach (int a0 in axes)
        {
            int a = a0 < 0 ? a0 + x.Rank : a0;
            if ((uint)a >= (uint)x.Rank) throw new ArgumentException($"sum: axis {a0} out of range for shape {ShapeUtil.Format(x.Shape)}");
            kept[a] = 1;
        }
        // Dropping size-1 axes does not move any element, so both layouts share one buffer.
        var axisSet = axes.Select(a => a < 0 ? a + x.Rank : a).ToHashSet();
        if (axisSet.Count != axes.Length) throw new ArgumentException($"sum: an axis is named twice in [{string.Join(", ", axes)}] for shape {ShapeUtil.Format(x.Shape)}");
        var shape = keepDims ? kept : kept.Where((_, i) => !axisSet.Contains(i)).ToArray();
        var result = Tensor.Empty(shape);
        Broadcasting.SumToShape(x.Data, x.Shape, result.Data, kept, accumulate: false);
        var keptShape = kept;
        return OpRecorder.Record(result, "sum_axes", [x], g =>
        {
            // Broadcast the gradient back over the summed axes.
            var buffer = x.GradBuffer(out bool accumulate);
            if (accumulate) Broadcasting.Binary(BinaryOp.Add, buffer, x.Shape, g.Data, keptShape, buffer, x.Shape);
            else
            {
                var zeros = BufferPool.RentZeroed(1);
                Broadcasting.Binary(BinaryOp.Add, g.Data, keptShape, zeros, [1], buffer, x.Shape);
                BufferPool.Return(zeros);
            }
        });
    }

    public static Tensor Mean(Tensor x, int[] axes, bool keepDims = false)
    {
        var sum = Sum(x, axes, keepDims); // validates the axes
        return Mul(sum, (float)sum.Size / x.Size);
    }

    private static void FillGrad(Tensor x, float value)
    {
        var buffer = x.GradBuffer(out bool accumulate);
        if (accumulate) TensorPrimitives.Add(buffer, value, buffer);
        else buffer.AsSpan().Fill(value);
    }
}
