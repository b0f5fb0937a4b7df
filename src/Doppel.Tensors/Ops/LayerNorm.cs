using Doppel.Tensors.Autograd;
using Doppel.Tensors.Kernels;

namespace Doppel.Tensors;

/// <summary>Layer normalisation over the trailing axes, with an element-wise affine.</summary>
public static partial class Ops
{
    /// <summary>
    /// Normalises over the last <c>normalizedShape.Length</c> axes (which must equal
    /// <paramref name="normalizedShape"/>): each slice by its own mean and biased variance, then
    /// y = xhat * weight + bias element-wise, weight and bias of shape normalizedShape (optional),
    /// as PyTorch's <c>F.layer_norm</c>. The same in training and inference.
    /// </summary>
    public static Tensor LayerNorm(Tensor x, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, float eps = 1e-5f)
    {
        const string op = "layer_norm";
        int k = normalizedShape.Length;
        if (k == 0 || k > x.Rank || !x.Shape.AsSpan(x.Rank - k).SequenceEqual(normalizedShape))
            throw new ShapeMismatchException(op, x.Shape, normalizedShape, "the input's trailing axes must equal normalized_shape");
        if (weight is not null && !ShapeUtil.SameShape(weight.Shape, normalizedShape))
            throw new ShapeMismatchException($"{op} (weight)", weight.Shape, normalizedShape, "weight has normalized_shape");
        if (bias is not null && !ShapeUtil.SameShape(bias.Shape, normalizedShape))
            throw new ShapeMismatchException($"{op} (bias)", bias.Shape, normalizedShape, "bias has normalized_shape");
        if (!(eps > 0)) throw new ArgumentException($"{op}: eps must be > 0, not {eps}");
        int d = ShapeUtil.Count(normalizedShape);
        if (d == 0) throw new ShapeMismatchException(op, x.Shape, normalizedShape, "nothing to normalise over");
        int rows = x.Size / d;
        bool simd = RowNorm.DefaultSimd;
        var mean = new float[rows];
        var invStd = new float[rows];
        var y = Tensor.Empty((int[])x.Shape.Clone());
        RowNorm.Forward(x.Data, y.Data, rows, d, weight?.Data, bias?.Data, eps, mean, invStd, simd);

        Tensor[] inputs = [x, .. weight is null ? Array.Empty<Tensor>() : [weight], .. bias is null ? Array.Empty<Tensor>() : [bias]];
        return OpRecorder.Record(y, op, inputs, g =>
        {
            bool needW = weight?.RequiresGrad == true, needB = bias?.RequiresGrad == true;
            double[]? dw = needW ? new double[d] : null, db = needB ? new double[d] : null;
            float[]? dx = null;
            bool accumulate = false;
            if (x.RequiresGrad) dx = x.GradBuffer(out accumulate);
            RowNorm.Backward(g.Data, x.Data, rows, d, weight?.Data, mean, invStd, dx, accumulate, dw, db, simd);
            if (dw is not null) weight!.AccumulateGrad(dw.Select(v => (float)v).ToArray());
            if (db is not null) bias!.AccumulateGrad(db.Select(v => (float)v).ToArray());
        });
    }
}
