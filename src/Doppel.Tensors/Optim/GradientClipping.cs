using System.Numerics.Tensors;
using Doppel.Core;

namespace Doppel.Tensors.Optim;

/// <summary>
/// Gradient clipping by global norm, PyTorch 1.13's torch.nn.utils.clip_grad_norm_ with the L2
/// norm: total = sqrt(sum over every gradient element of g^2) (tensors without a gradient are
/// skipped); coef = max_norm / (total + 1e-6); when coef &lt; 1 every gradient is multiplied by
/// coef (PyTorch multiplies by min(coef, 1), i.e. leaves them alone otherwise). Returns total.
/// </summary>
public static class GradientClipping
{
    // Squares are summed in double (a float's square is exact in double), block by block through
    // TensorPrimitives' vector kernels: the norm of 80 M gradients is then correct to the final
    // rounding, where float sums drift by many ulp (PyTorch sums in float; the results agree to that drift).
    private const int Block = 4096;

    /// <summary>Clips in place; returns the global L2 norm of the gradients before clipping.</summary>
    /// <param name="errorIfNonFinite">Throw when the norm is NaN or infinite instead of scaling by it (PyTorch's error_if_nonfinite).</param>
    public static float ClipByGlobalNorm(IEnumerable<Tensor> parameters, float maxNorm, bool errorIfNonFinite = false)
    {
        OptimArgs.NonNegative(maxNorm, nameof(maxNorm));
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToList();
        float total = GlobalNorm(grads);
        if (errorIfNonFinite && !float.IsFinite(total))
            throw new DoppelException($"the gradients' global norm is {total}, so they cannot be clipped", "training diverged: lower the learning rate, or resume from an earlier checkpoint");
        float coef = maxNorm / (total + 1e-6f);
        // NaN too, like PyTorch's clamp(max=1), which passes NaN through.
        if (coef < 1f || float.IsNaN(coef))
            foreach (var g in grads) TensorPrimitives.Multiply(g.Span, coef, g.Span);
        return total;
    }

    /// <summary>The same over named parameters (a module's NamedParameters, an optimiser's Parameters).</summary>
    public static float ClipByGlobalNorm(IEnumerable<(string Name, Tensor Tensor)> parameters, float maxNorm, bool errorIfNonFinite = false) =>
        ClipByGlobalNorm(parameters.Select(p => p.Tensor), maxNorm, errorIfNonFinite);

    /// <summary>sqrt(sum of squares) of all the given tensors' elements, rounded once to float.</summary>
    internal static float GlobalNorm(IEnumerable<Tensor> tensors)
    {
        double sum = 0;
        Span<double> wide = stackalloc double[Block];
        foreach (var t in tensors)
        {
            var span = t.Span;
            for (int i = 0; i < span.Length; i += Block)
            {
                var block = span.Slice(i, Math.Min(Block, span.Length - i));
                var w = wide[..block.Length];
                TensorPrimitives.ConvertChecked(block, w);
                sum += TensorPrimitives.SumOfSquares<double>(w);
            }
        }
        return (float)Math.Sqrt(sum);
    }
}
