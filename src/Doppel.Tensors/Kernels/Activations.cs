using System.Numerics;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// Vectorised activation kernels that TensorPrimitives lacks. Each processes Vector&lt;float&gt;
/// lanes (8 or 16 floats) with a compare-and-select, then finishes the tail with its scalar twin
/// (which does all of it when <see cref="VectorEnabled"/> is off).
/// </summary>
internal static class Activations
{
    /// <summary>Tests switch the vector loops off to compare them with the scalar twins on the same input.</summary>
    internal static bool VectorEnabled = true;

    private static int Lanes => VectorEnabled ? Vector<float>.Count : int.MaxValue;

    /// <summary>y = x if x &gt; 0, else slope * x.</summary>
    public static void LeakyRelu(ReadOnlySpan<float> x, Span<float> y, float slope)
    {
        int i = 0, w = Lanes;
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
        int i = 0, w = Lanes;
        var vs = new Vector<float>(slope);
        for (; i + w <= x.Length; i += w)
        {
            var gv = new Vector<float>(g.Slice(i));
            Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(x.Slice(i)), Vector<float>.Zero), gv, gv * vs).CopyTo(dx.Slice(i));
        }
        for (; i < x.Length; i++) dx[i] = x[i] > 0 ? g[i] : g[i] * slope;
    }

    /// <summary>dx = g where min &lt;= x &lt;= max (inclusive, as PyTorch's clamp), else 0 (also for NaN x).</summary>
    public static void ClampGrad(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> dx, float min, float max)
    {
        int i = 0, w = Lanes;
        var vmin = new Vector<float>(min);
        var vmax = new Vector<float>(max);
        for (; i + w <= x.Length; i += w)
        {
            var v = new Vector<float>(x.Slice(i));
            var inside = Vector.GreaterThanOrEqual(v, vmin) & Vector.LessThanOrEqual(v, vmax);
            Vector.ConditionalSelect(inside, new Vector<float>(g.Slice(i)), Vector<float>.Zero).CopyTo(dx.Slice(i));
        }
        for (; i < x.Length; i++) dx[i] = x[i] >= min && x[i] <= max ? g[i] : 0f;
    }
}
