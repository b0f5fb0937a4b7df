namespace Doppel.Tensors.Kernels;

/// <summary>
/// An optional operand (a weight) as a dense array of a larger shape it broadcasts to, so a fused
/// element-wise kernel can read it at the same index as its other inputs. Same-shape operands are
/// used in place; broadcast ones are expanded into a pooled buffer returned on dispose.
/// </summary>
internal readonly struct ExpandedOperand : IDisposable
{
    private readonly bool _rented;

    private ExpandedOperand(float[]? data, bool rented)
    {
        Data = data;
        _rented = rented;
    }

    /// <summary>Null when there is no operand.</summary>
    public float[]? Data { get; }

    /// <summary>The operand over <paramref name="shape"/>; the caller has checked that it broadcasts there.</summary>
    public static ExpandedOperand Of(Tensor? operand, int[] shape)
    {
        if (operand is null) return new ExpandedOperand(null, false);
        if (ShapeUtil.SameShape(operand.Shape, shape)) return new ExpandedOperand(operand.Data, false);
        var data = BufferPool.Rent(ShapeUtil.Count(shape));
        // operand + 0, broadcast: the walker of the binary kernels does the expansion.
        Broadcasting.Binary(BinaryOp.Add, operand.Data, operand.Shape, Zero, [1], data, shape);
        return new ExpandedOperand(data, true);
    }

    private static readonly float[] Zero = [0f];

    public void Dispose()
    {
        if (_rented && Data is not null) BufferPool.Return(Data);
    }
}
