using Doppel.Tensors.Autograd;

namespace Doppel.Tensors;

/// <summary>The maxout non-linearity (Goodfellow et al., "Maxout Networks", 2013).</summary>
public static partial class Ops
{
    /// <summary>
    /// (..., units * pieces) -> (..., units): y[..., u] = max over j &lt; pieces of x[..., u * pieces + j],
    /// i.e. the max over each group of <paramref name="pieces"/> consecutive features of the last
    /// axis (pylearn2's layout, and PyTorch's x.view(..., units, pieces).max(-1)). The gradient goes
    /// to the arg-max only; on a tie, to the first of the tied pieces. A NaN piece makes the unit NaN.
    /// </summary>
    public static Tensor Maxout(Tensor x, int pieces)
    {
        if (pieces < 1) throw new ArgumentException($"maxout: {pieces} pieces; a unit needs at least one");
        if (x.Rank < 1 || x.Shape[^1] % pieces != 0)
            throw new ShapeMismatchException("maxout", x.Shape, [pieces], "the last axis must be a multiple of the pieces");
        var shape = (int[])x.Shape.Clone();
        shape[^1] /= pieces;
        var y = Tensor.Empty(shape);
        int groups = y.Size;
        float[] xd = x.Data, yd = y.Data;
        // A unit has only a few pieces (2 to 5 in the paper), too few for a vector; the loop is
        // cheap next to the linear layer in front of it, so it stays scalar and parallel over units.
        Kernels.Par.For(groups, 1 << 14, (s, e) =>
        {
            for (int u = s; u < e; u++) yd[u] = xd[u * pieces + ArgMax(xd, u * pieces, pieces)];
        });
        return OpRecorder.Record(y, "maxout", [x], g =>
        {
            var dx = x.GradBuffer(out bool accumulate);
            float[] gd = g.Data;
            // The arg-max is found again from the kept input rather than stored in the forward pass,
            // so a forward without backward (evaluation under grad mode) costs no index buffer.
            Kernels.Par.For(groups, 1 << 14, (s, e) =>
            {
                for (int u = s; u < e; u++)
                {
                    int first = u * pieces, best = first + ArgMax(xd, first, pieces);
                    if (accumulate) dx[best] += gd[u];
                    else
                    {
                        Array.Clear(dx, first, pieces);
                        dx[best] = gd[u];
                    }
                }
            });
        });
    }

    /// <summary>The offset of the largest of x[start .. start + count) (the first, on ties; the first NaN wins).</summary>
    private static int ArgMax(float[] x, int start, int count)
    {
        int best = 0;
        float max = x[start];
        if (float.IsNaN(max)) return 0;
        for (int j = 1; j < count; j++)
        {
            float v = x[start + j];
            if (float.IsNaN(v)) return j;
            if (v > max) { max = v; best = j; }
        }
        return best;
    }
}
