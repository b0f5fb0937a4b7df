using Doppel.Tensors.Autograd;
using Doppel.Tensors.Kernels;

namespace Doppel.Tensors;

/// <summary>Matrix products: plain 2-D matmul and the dense (fully connected) layer.</summary>
public static partial class Ops
{
    /// <summary>(M, K) x (K, N) -> (M, N).</summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        if (a.Rank != 2 || b.Rank != 2 || a.Shape[1] != b.Shape[0]) throw new ShapeMismatchException("matmul", a.Shape, b.Shape);
        int m = a.Shape[0], k = a.Shape[1], n = b.Shape[1];
        var y = Tensor.Empty(m, n);
        var precision = MatMulPrecision.Current; // kept for the backward pass
        Gemm.Run(precision, false, false, m, n, k, 1f, a.Data, k, b.Data, n, 0f, y.Data, n);
        return OpRecorder.Record(y, "matmul", [a, b], g =>
        {
            if (a.RequiresGrad)
            {
                var da = a.GradBuffer(out bool acc);  // dA = G (M,N) x B^T (N,K)
                Gemm.Run(precision, false, true, m, k, n, 1f, g.Data, n, b.Data, n, acc ? 1f : 0f, da, k);
            }
            if (b.RequiresGrad)
            {
                var db = b.GradBuffer(out bool acc);  // dB = A^T (K,M) x G (M,N)
                Gemm.Run(precision, true, false, k, n, m, 1f, a.Data, k, g.Data, n, acc ? 1f : 0f, db, n);
            }
        });
    }

    /// <summary>
    /// y = x W^T + b with x (..., In), weight (Out, In) as in PyTorch, bias (Out) or null.
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias)
    {
        if (weight.Rank != 2 || x.Rank < 1 || x.Shape[^1] != weight.Shape[1]) throw new ShapeMismatchException("linear", x.Shape, weight.Shape);
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != weight.Shape[0])) throw new ShapeMismatchException("linear (bias)", weight.Shape, bias.Shape);
        int inF = weight.Shape[1], outF = weight.Shape[0], rows = x.Size / Math.Max(1, inF);
        var shape = (int[])x.Shape.Clone();
        shape[^1] = outF;
        var y = Tensor.Empty(shape);
        if (bias is not null) for (int r = 0; r < rows; r++) bias.Span.CopyTo(y.Data.AsSpan(r * outF, outF));
        var precision = MatMulPrecision.Current; // kept for the backward pass
        Gemm.Run(precision, false, true, rows, outF, inF, 1f, x.Data, inF, weight.Data, inF, bias is null ? 0f : 1f, y.Data, outF);
        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return OpRecorder.Record(y, "linear", inputs, g =>
        {
            if (x.RequiresGrad)
            {
                var dx = x.GradBuffer(out bool acc);   // dX = G (rows,Out) x W (Out,In)
                Gemm.Run(precision, false, false, rows, inF, outF, 1f, g.Data, outF, weight.Data, inF, acc ? 1f : 0f, dx, inF);
            }
            if (weight.RequiresGrad)
            {
                var dw = weight.GradBuffer(out bool acc); // dW = G^T (Out,rows) x X (rows,In)
                Gemm.Run(precision, true, false, outF, inF, rows, 1f, g.Data, outF, x.Data, inF, acc ? 1f : 0f, dw, inF);
            }
            if (bias is { RequiresGrad: true }) AccumulateBiasGrad(bias, g.Data, rows, outF);
        });
    }

    /// <summary>db[o] += sum over rows of g[row, o].</summary>
    internal static void AccumulateBiasGrad(Tensor bias, float[] g, int rows, int channels)
    {
        var db = bias.GradBuffer(out bool acc);
        if (!acc) Array.Clear(db);
        var span = db.AsSpan(0, channels);
        for (int r = 0; r < rows; r++)
            System.Numerics.Tensors.TensorPrimitives.Add(span, g.AsSpan(r * channels, channels), span);
    }
}
