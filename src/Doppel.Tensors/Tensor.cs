using System.Text;

namespace Doppel.Tensors;

/// <summary>
/// A dense float32 tensor, row-major, with an optional gradient and the autograd node that made
/// it. Images are NHWC throughout Doppel (channels last, as in Keras-era face-swap models): a
/// convolution's im2col then copies contiguous channel runs and its output needs no transpose.
/// Storage comes from <see cref="BufferPool"/>; a tensor made inside a <see cref="TensorScope"/>
/// is returned there when the scope closes.
/// </summary>
public sealed class Tensor : IDisposable
{
    private float[]? _data;

    internal Tensor(int[] shape, float[] data, bool requiresGrad = false, bool scoped = true)
    {
        Shape = shape;
        Size = ShapeUtil.Count(shape);
        if (data.Length != Size)
            throw new ArgumentException($"data length {data.Length} does not match shape {ShapeUtil.Format(shape)}");
        _data = data;
        RequiresGrad = requiresGrad;
        if (scoped) TensorScope.Register(this);
    }

    public int[] Shape { get; }
    public int Size { get; }
    public int Rank => Shape.Length;

    /// <summary>The elements; throws once the tensor has been disposed.</summary>
    public float[] Data => _data ?? throw new ObjectDisposedException(nameof(Tensor), $"tensor {Name ?? ShapeUtil.Format(Shape)} was disposed (did it leave its TensorScope without KeepAlive?)");

    public Span<float> Span => Data.AsSpan();

    /// <summary>The gradient of the last backward pass, accumulated across passes until zeroed.</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>True for parameters and for results of ops on them (while grad mode is on).</summary>
    public bool RequiresGrad { get; set; }

    public string? Name { get; set; }

    /// <summary>The op that produced this tensor, for the backward pass; null for leaves.</summary>
    internal GradNode? Node { get; set; }

    /// <summary>True once a backward pass has consumed <see cref="Node"/>: this is not a leaf.</summary>
    internal bool GraphReleased { get; set; }

    internal TensorScope? Owner { get; set; }

    public bool IsDisposed => _data is null;

    public int Dim(int axis) => Shape[axis < 0 ? axis + Rank : axis];

    public float At(params int[] index) => Data[ShapeUtil.Offset(Shape, index)];

    // ---- construction -------------------------------------------------------------------

    /// <summary>Uninitialised storage: only for ops that overwrite every element.</summary>
    public static Tensor Empty(params int[] shape) => new(shape, BufferPool.Rent(ShapeUtil.Count(shape)));

    public static Tensor Zeros(params int[] shape) => new(shape, BufferPool.RentZeroed(ShapeUtil.Count(shape)));

    public static Tensor Full(float value, params int[] shape)
    {
        var t = Empty(shape);
        t.Span.Fill(value);
        return t;
    }

    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    public static Tensor Scalar(float value) => Full(value, []);

    /// <summary>A tensor holding a copy of <paramref name="values"/>.</summary>
    public static Tensor FromArray(ReadOnlySpan<float> values, params int[] shape)
    {
        var t = Empty(shape);
        if (values.Length != t.Size)
        {
            t.Dispose();
            throw new ArgumentException($"{values.Length} values do not fill shape {ShapeUtil.Format(shape)}");
        }
        values.CopyTo(t.Span);
        return t;
    }

    /// <summary>
    /// A trainable leaf: a parameter whose gradient the backward pass fills. It leaves any open
    /// scope, since parameters live as long as their model.
    /// </summary>
    public static Tensor Parameter(Tensor init, string? name = null)
    {
        init.RequiresGrad = true;
        init.Name = name;
        init.Persist();
        return init;
    }

    /// <summary>Takes this tensor out of every scope: the caller now disposes it.</summary>
    public Tensor Persist()
    {
        Owner = null;
        return this;
    }

    public float[] ToArray() => Data.ToArray();

    public float Item()
    {
        if (Size != 1) throw new InvalidOperationException($"Item() needs a one-element tensor, not {ShapeUtil.Format(Shape)}");
        return Data[0];
    }

    /// <summary>A copy that shares nothing with this tensor and records no history.</summary>
    public Tensor Clone() => FromArray(Span, (int[])Shape.Clone());

    /// <summary>The same values without history (a copy, so the original can be disposed).</summary>
    public Tensor Detach() => Clone();

    /// <summary>Lets this tensor outlive the innermost <see cref="TensorScope"/>.</summary>
    public Tensor KeepAlive()
    {
        TensorScope.Release(this);
        return this;
    }

    // ---- autograd -----------------------------------------------------------------------

    /// <summary>Backpropagates from this scalar (or from <paramref name="gradient"/>).</summary>
    public void Backward(Tensor? gradient = null) => Autograd.Backward.Run(this, gradient);

    /// <summary>Clears the gradient (parameters, before the next step).</summary>
    public void ZeroGrad()
    {
        Grad?.Dispose();
        Grad = null;
    }

    /// <summary>
    /// The gradient buffer to write this tensor's gradient contribution into. When it is new,
    /// <paramref name="accumulate"/> is false and the caller must overwrite every element;
    /// otherwise the caller must add to it. This lets GEMM-based backward passes use beta=0/1
    /// instead of computing into a temporary and adding.
    /// </summary>
    internal float[] GradBuffer(out bool accumulate)
    {
        if (Grad is { } g)
        {
            accumulate = true;
            return g.Data;
        }
        accumulate = false;
        // Gradients belong to their tensor, not to the scope of the backward pass.
        Grad = new Tensor((int[])Shape.Clone(), BufferPool.Rent(Size), scoped: false);
        return Grad.Data;
    }

    /// <summary>Adds <paramref name="values"/> (this tensor's shape) into the gradient.</summary>
    internal void AccumulateGrad(ReadOnlySpan<float> values)
    {
        var buffer = GradBuffer(out bool accumulate);
        if (accumulate) System.Numerics.Tensors.TensorPrimitives.Add(buffer, values, buffer);
        else values.CopyTo(buffer);
    }

    public void Dispose()
    {
        if (_data is null) return;
        BufferPool.Return(_data);
        _data = null;
        Grad?.Dispose();
        Grad = null;
        Node = null;
    }

    public override string ToString()
    {
        var sb = new StringBuilder($"Tensor{ShapeUtil.Format(Shape)}");
        if (_data is null) return sb.Append(" (disposed)").ToString();
        sb.Append(" [");
        int n = Math.Min(Size, 8);
        for (int i = 0; i < n; i++) sb.Append(i == 0 ? "" : ", ").Append(_data[i].ToString("G5"));
        if (Size > n) sb.Append(", ...");
        return sb.Append(']').ToString();
    }
}
