using Doppel.Core;

namespace Doppel.Onnx;

/// <summary>
/// A dense float tensor in row-major order, the only element type Doppel's models exchange.
/// Inputs are passed to ONNX Runtime without copying (the array is pinned for the run);
/// outputs are copied out of ORT's memory, so they stay valid after the run.
/// </summary>
public sealed class OnnxTensor
{
    public OnnxTensor(float[] data, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0) throw new DoppelException($"tensor shape [{string.Join(", ", shape)}] has a negative dimension");
            count *= d;
        }
        if (count != data.Length)
            throw new DoppelException($"tensor shape [{string.Join(", ", shape)}] holds {count} values, but {data.Length} were given");
        Data = data;
        Shape = (long[])shape.Clone();
    }

    /// <summary>The values, row-major (the last dimension varies fastest).</summary>
    public float[] Data { get; }

    /// <summary>The dimensions; a copy of what was passed, so callers cannot change it later.</summary>
    public IReadOnlyList<long> Shape { get; }

    public override string ToString() => $"OnnxTensor [{string.Join(", ", Shape)}]";
}
