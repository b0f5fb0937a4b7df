using System.Numerics;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// Vectorised activation kernels that TensorPrimitives lacks. Each processes Vector&lt;float&gt;
/// lanes (8 or 16 floats) with a compare-and-select, then finishes the tail with its scalar twin.
/// </summary>
internal static class Activations
{
    /// <summary>y = x if x &gt; 0, else slope * x.</summary>
    public static void LeakyRelu(ReadOnlySpan<float> x, Span<float> y, float slope)
    {
        int i = 0, w = Vector<float>.Count;
        var vs = new Vector<float>(slope);
        for (; i + w <= x.Length; i += w)
        {
            var v = new Vector<float>(x.Slice(i));
            Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), v, v * vs).CopyTo(y.Slice(i));
        }
        for (; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : x[i] * slope;
    }

    /// <summary>dx = g if x &gt; 0, else slope * g.</summary>
    public static void LeakyReluGrad(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> dx, float slope)
    {
        int i = 0, w = Vector<float>.Count;
        var vs = new Vector<float>(slope);
        for (; i + w <= x.Length; i += w)
        {
            var gv = new Vector<float>(g.Slice(i));
            Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(x.Slice(i)), Vector<float>.Zero), gv, gv * vs).CopyTo(dx.Slice(i));
        }
        for (; i < x.Length; i++) dx[i] = x[i] > 0 ? g[i] : g[i] * slope;
    }
}
