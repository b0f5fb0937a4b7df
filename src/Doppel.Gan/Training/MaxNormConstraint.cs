using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Training;

/// <summary>
/// The max-norm constraint of pylearn2's layers (<c>max_col_norm</c>; Srebro et al., as the
/// maxout paper used it): after an update, every output unit's incoming weight vector whose L2
/// norm exceeds the limit is scaled back onto it. It bounds how sharply a unit can respond, so a
/// discriminator cannot grow confident by growing its weights. Applies to every weight of rank 2
/// or more (Linear and Maxout (out, in), Conv2d (out, kh, kw, in): the first axis is the output
/// unit); biases and batch-norm scales are left alone.
/// </summary>
public static class MaxNormConstraint
{
    /// <summary>Rescales the rows of each weight of <paramref name="module"/> to norm at most <paramref name="limit"/>; returns how many rows it rescaled.</summary>
    public static int Apply(Module module, double limit)
    {
        if (!(limit > 0)) throw new ArgumentOutOfRangeException(nameof(limit), limit, "the max norm must be above 0");
        int clipped = 0;
        foreach (var (name, weight) in module.NamedParameters())
        {
            if (weight.Rank < 2 || !name.EndsWith("weight", StringComparison.Ordinal)) continue;
            int units = weight.Dim(0), fanIn = weight.Size / units;
            var values = weight.Span;
            for (int u = 0; u < units; u++)
            {
                var row = values.Slice(u * fanIn, fanIn);
                double squares = 0;
                foreach (float v in row) squares += (double)v * v;
                double norm = Math.Sqrt(squares);
                if (norm <= limit) continue;
                float scale = (float)(limit / norm);
                for (int i = 0; i < row.Length; i++) row[i] *= scale;
                clipped++;
            }
        }
        return clipped;
    }
}
