using System.Numerics.Tensors;
using Doppel.Tensors.Autograd;

namespace Doppel.Tensors;

/// <summary>Element-wise functions; each backward uses the saved input or output.</summary>
public static partial class Ops
{
    public static Tensor Abs(Tensor x) => Unary(x, "abs", TensorPrimitives.Abs,
        (xs, ys, g, dx) => { for (int i = 0; i < g.Length; i++) dx[i] = xs[i] > 0 ? g[i] : xs[i] < 0 ? -g[i] : 0f; });

    public static Tensor Square(Tensor x) => Unary(x, "square", (s, d) => TensorPrimitives.Multiply(s, s, d),
        (xs, ys, g, dx) => { TensorPrimitives.Multiply(g, xs, dx); TensorPrimitives.Multiply(dx, 2f, dx); });

    public static Tensor Exp(Tensor x) => Unary(x, "exp", TensorPrimitives.Exp,
        (xs, ys, g, dx) => TensorPrimitives.Multiply(g, ys, dx));

    public static Tensor Log(Tensor x) => Unary(x, "log", TensorPrimitives.Log,
        (xs, ys, g, dx) => TensorPrimitives.Divide(g, xs, dx));

    public static Tensor Sqrt(Tensor x) => Unary(x, "sqrt", TensorPrimitives.Sqrt,
        (xs, ys, g, dx) => { TensorPrimitives.Divide(g, ys, dx); TensorPrimitives.Multiply(dx, 0.5f, dx); });

    public static Tensor Relu(Tensor x) => Unary(x, "relu", (s, d) => TensorPrimitives.Max(s, 0f, d),
        (xs, ys, g, dx) => { for (int i = 0; i < g.Length; i++) dx[i] = xs[i] > 0 ? g[i] : 0f; });

    public static Tensor LeakyRelu(Tensor x, float slope = 0.01f) => Unary(x, "leaky_relu",
        (s, d) => Kernels.Activations.LeakyRelu(s, d, slope),
        (xs, ys, g, dx) => Kernels.Activations.LeakyReluGrad(xs, g, dx, slope));

    public static Tensor Sigmoid(Tensor x) => Unary(x, "sigmoid", TensorPrimitives.Sigmoid,
        (xs, ys, g, dx) => { for (int i = 0; i < g.Length; i++) dx[i] = g[i] * ys[i] * (1f - ys[i]); });

    public static Tensor Tanh(Tensor x) => Unary(x, "tanh", TensorPrimitives.Tanh,
        (xs, ys, g, dx) => { for (int i = 0; i < g.Length; i++) dx[i] = g[i] * (1f - ys[i] * ys[i]); });

    /// <summary>
    /// min(max(x, min), max) element-wise, as PyTorch's clamp: NaN stays NaN, and min &gt; max gives max
    /// everywhere. The gradient passes where min &lt;= x &lt;= max (bounds included) and is 0 outside.
    /// </summary>
    public static Tensor Clamp(Tensor x, float min, float max) => Unary(x, "clamp",
        (s, d) => { TensorPrimitives.Max(s, min, d); TensorPrimitives.Min(d, max, d); },
        (xs, ys, g, dx) => Kernels.Activations.ClampGrad(xs, g, dx, min, max));

    private delegate void Forward(ReadOnlySpan<float> x, Span<float> y);
    private delegate void Derivative(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx);

    private const int UnaryChunk = 1 << 15;

    /// <summary>Runs a span function in parallel chunks and records its derivative.</summary>
    private static Tensor Unary(Tensor x, string name, Forward forward, Derivative derivative)
    {
        var y = Tensor.Empty((int[])x.Shape.Clone());
        float[] xd = x.Data, yd = y.Data;
        Kernels.Par.For(x.Size, UnaryChunk, (s, e) => forward(xd.AsSpan(s, e - s), yd.AsSpan(s, e - s)));
        return OpRecorder.Record(y, name, [x], g =>
        {
            var buffer = x.GradBuffer(out bool accumulate);
            float[] gd = g.Data;
            float[] dx = accumulate ? BufferPool.Rent(x.Size) : buffer;
            Kernels.Par.For(x.Size, UnaryChunk, (s, e) =>
                derivative(xd.AsSpan(s, e - s), yd.AsSpan(s, e - s), gd.AsSpan(s, e - s), dx.AsSpan(s, e - s)));
            if (accumulate)
            {
                TensorPrimitives.Add(buffer, dx, buffer);
                BufferPool.Return(dx);
            }
        });
    }
}
