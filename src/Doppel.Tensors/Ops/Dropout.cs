using System.Numerics.Tensors;
using Doppel.Tensors.Autograd;
using Doppel.Tensors.Nn;

namespace Doppel.Tensors;

/// <summary>
/// Inverted dropout: each element is kept with probability 1 - p and scaled by 1 / (1 - p), so
/// the expected output equals the input and inference needs no rescaling.
/// </summary>
public static partial class Ops
{
    /// <summary>Dropout with a keep mask drawn from <paramref name="rng"/> (reproducible for a seed).</summary>
    public static Tensor Dropout(Tensor x, float p, Rng rng)
    {
        CheckDropProbability(p);
        var mask = DropoutMask(x.Shape, p, rng);
        return ScaledMask(x, mask, p);
    }

    /// <summary>
    /// Dropout with a given keep mask of x's shape (1 keeps, 0 drops; any other value is an
    /// error): y = x * mask / (1 - p), and the gradient is masked and scaled the same way.
    /// </summary>
    public static Tensor Dropout(Tensor x, Tensor keep, float p)
    {
        CheckDropProbability(p);
        if (!ShapeUtil.SameShape(x.Shape, keep.Shape)) throw new ShapeMismatchException("dropout", x.Shape, keep.Shape, "the mask has the input's shape");
        foreach (float m in keep.Span)
            if (m != 0f && m != 1f) throw new ArgumentException($"dropout: a keep mask holds 0 and 1 only, not {m}");
        return ScaledMask(x, keep, p);
    }

    /// <summary>
    /// A keep mask: 1 with probability 1 - p, else 0, one 32-bit draw per element (two per
    /// <see cref="Rng.NextULong"/>), compared with p * 2^32, so p = 0 keeps all and p = 1 none.
    /// </summary>
    public static Tensor DropoutMask(int[] shape, float p, Rng rng)
    {
        CheckDropProbability(p);
        var mask = Tensor.Empty((int[])shape.Clone());
        var m = mask.Span;
        ulong threshold = (ulong)Math.Round(p * 4294967296.0);
        int i = 0;
        for (; i + 2 <= m.Length; i += 2)
        {
            ulong bits = rng.NextULong();
            m[i] = (bits >> 32) >= threshold ? 1f : 0f;
            m[i + 1] = (bits & 0xFFFFFFFFUL) >= threshold ? 1f : 0f;
        }
        if (i < m.Length) m[i] = (rng.NextULong() >> 32) >= threshold ? 1f : 0f;
        return mask;
    }

    private static void CheckDropProbability(float p)
    {
        if (!(p >= 0f && p <= 1f)) throw new ArgumentException($"dropout: the drop probability must be in [0, 1], not {p}");
    }

    private static Tensor ScaledMask(Tensor x, Tensor keep, float p)
    {
        // p = 1 drops everything (PyTorch returns zeros there rather than 0 * infinity).
        float scale = p < 1f ? 1f / (1f - p) : 0f;
        var y = Tensor.Empty((int[])x.Shape.Clone());
        TensorPrimitives.Multiply(x.Span, keep.Span, y.Span);
        TensorPrimitives.Multiply(y.Span, scale, y.Span);
        float[] mask = keep.Data;
        return OpRecorder.Record(y, "dropout", [x], g =>
        {
            var local = BufferPool.Rent(g.Size);
            TensorPrimitives.Multiply(g.Span, mask, local);
            var buffer = x.GradBuffer(out bool accumulate);
            if (accumulate) TensorPrimitives.MultiplyAdd(local, scale, buffer, buffer);
            else TensorPrimitives.Multiply(local, scale, buffer);
            BufferPool.Return(local);
        });
    }
}
