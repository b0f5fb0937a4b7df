using Doppel.Tensors.Autograd;
using Doppel.Tensors.Kernels;

namespace Doppel.Tensors;

/// <summary>Reconstruction and adversarial losses, each a scalar mean over all elements.</summary>
public static partial class Ops
{
    /// <summary>Mean absolute error; an optional weight (broadcast to the inputs) scales each term.</summary>
    public static Tensor L1Loss(Tensor prediction, Tensor target, Tensor? weight = null)
    {
        CheckSameShape("l1_loss", prediction, target);
        var diff = Abs(Sub(prediction, target));
        return Mean(weight is null ? diff : Mul(diff, weight));
    }

    /// <summary>Mean squared error; an optional weight (broadcast to the inputs) scales each term.</summary>
    public static Tensor MseLoss(Tensor prediction, Tensor target, Tensor? weight = null)
    {
        CheckSameShape("mse_loss", prediction, target);
        var sq = Square(Sub(prediction, target));
        return Mean(weight is null ? sq : Mul(sq, weight));
    }

    /// <summary>
    /// Structural dissimilarity (1 - SSIM) / 2 over NHWC images in [0, 1], with a Gaussian window
    /// (default 11, sigma 1.5) and valid borders, averaged over pixels and channels. An optional
    /// weight (N, H, W, 1 or C) is blurred by the same window and scales the SSIM map, so a face
    /// mask can weight the structural term like the pixel term.
    /// </summary>
    public static Tensor DssimLoss(Tensor prediction, Tensor target, Tensor? weight = null, int window = 11, float sigma = 1.5f)
    {
        CheckSameShape("dssim_loss", prediction, target);
        const float c1 = 0.01f * 0.01f, c2 = 0.03f * 0.03f;
        var muX = GaussianBlur(prediction, window, sigma);
        var muY = GaussianBlur(target, window, sigma);
        var muXX = Square(muX);
        var muYY = Square(muY);
        var muXY = Mul(muX, muY);
        var sigmaXX = Sub(GaussianBlur(Square(prediction), window, sigma), muXX);
        var sigmaYY = Sub(GaussianBlur(Square(target), window, sigma), muYY);
        var sigmaXY = Sub(GaussianBlur(Mul(prediction, target), window, sigma), muXY);
        var numerator = Mul(Add(Mul(muXY, 2f), c1), Add(Mul(sigmaXY, 2f), c2));
        var denominator = Mul(Add(Add(muXX, muYY), c1), Add(Add(sigmaXX, sigmaYY), c2));
        var ssim = Div(numerator, denominator);
        if (weight is null) return Mul(RSub(1f, Mean(ssim)), 0.5f);
        // Weighted mean of SSIM: sum(w * ssim) / sum(w), with w broadcast over channels.
        var w = GaussianBlur(weight, window, sigma);
        var wFull = Mul(w, Tensor.Ones(ssim.Shape));
        var weighted = Div(Sum(Mul(ssim, wFull)), Add(Sum(wFull), 1e-8f));
        return Mul(RSub(1f, weighted), 0.5f);
    }

    /// <summary>
    /// Binary cross-entropy on logits, mean over elements, as PyTorch's
    /// binary_cross_entropy_with_logits: element loss w * [(1 - z) x + (1 + (p - 1) z) log(1 + exp(-x))]
    /// with an optional per-element <paramref name="weight"/> w and positive-class weight
    /// <paramref name="posWeight"/> p (PyTorch's pos_weight, e.g. shape (C) for C classes on the last
    /// axis), both broadcast to the logits' shape and 1 when absent. Computed in an overflow-free form
    /// (<see cref="BceKernels"/>), so logits of +-100 give exact, finite losses. Targets may be soft
    /// (label smoothing). An empty input gives 0. Every input that requires grad receives one.
    /// </summary>
    public static Tensor BceWithLogits(Tensor logits, Tensor targets, Tensor? weight = null, Tensor? posWeight = null)
    {
        const string op = "bce_with_logits";
        CheckSameShape(op, logits, targets);
        CheckBroadcastsTo(op + " (weight)", weight, logits.Shape);
        CheckBroadcastsTo(op + " (pos_weight)", posWeight, logits.Shape);
        int n = logits.Size;
        float[] x = logits.Data, z = targets.Data;
        double sum;
        using (var w = ExpandedOperand.Of(weight, logits.Shape))
        using (var p = ExpandedOperand.Of(posWeight, logits.Shape))
        {
            // Fixed blocks summed in block order: the result does not depend on the thread count.
            int blocks = (n + BceBlock - 1) / BceBlock;
            var partial = new double[blocks];
            float[]? wd = w.Data, pd = p.Data;
            Par.For(blocks, 2, (s, e) =>
            {
                for (int b = s; b < e; b++)
                {
                    int start = b * BceBlock, length = Math.Min(BceBlock, n - start);
                    partial[b] = BceKernels.LossSum(x.AsSpan(start, length), z.AsSpan(start, length), Part(pd, start, length), Part(wd, start, length));
                }
            });
            sum = 0;
            foreach (double v in partial) sum += v;
        }
        var y = Tensor.Scalar((float)(sum / Math.Max(1, n)));
        var inputs = new List<Tensor> { logits, targets };
        if (weight is not null) inputs.Add(weight);
        if (posWeight is not null) inputs.Add(posWeight);
        return OpRecorder.Record(y, op, [.. inputs], g =>
        {
            float scale = g.Data[0] / Math.Max(1, n);
            using var w = ExpandedOperand.Of(weight, logits.Shape);
            using var p = ExpandedOperand.Of(posWeight, logits.Shape);
            float[]? wd = w.Data, pd = p.Data;
            bool accX = false, accZ = false;
            float[]? dx = logits.RequiresGrad ? logits.GradBuffer(out accX) : null;
            float[]? dz = targets.RequiresGrad ? targets.GradBuffer(out accZ) : null;
            if (dx is not null || dz is not null)
                Par.For(n, BceBlock, (s, e) => BceKernels.Backward(x.AsSpan(s, e - s), z.AsSpan(s, e - s), Part(pd, s, e - s), Part(wd, s, e - s), scale,
                    dx is null ? default : dx.AsSpan(s, e - s), accX, dz is null ? default : dz.AsSpan(s, e - s), accZ));
            // Weights are usually constants; when one is trained its gradient is a plain scalar loop.
            if (weight is { RequiresGrad: true })
                ReduceToOperand(weight, logits.Shape, i => scale * BceKernels.ScalarLoss(x[i], z[i], pd?[i] ?? 1f));
            if (posWeight is { RequiresGrad: true })
                ReduceToOperand(posWeight, logits.Shape, i => scale * (wd?[i] ?? 1f) * z[i] * BceKernels.SoftplusNeg(x[i]));
        });
    }

    /// <summary>Elements per block of the BCE reduction (and the smallest share of a thread).</summary>
    private const int BceBlock = 1 << 13;

    private static ReadOnlySpan<float> Part(float[]? data, int start, int length) => data is null ? default : data.AsSpan(start, length);

    private static void CheckBroadcastsTo(string op, Tensor? operand, int[] shape)
    {
        if (operand is not null && !ShapeUtil.SameShape(ShapeUtil.Broadcast(op, operand.Shape, shape), shape))
            throw new ShapeMismatchException(op, operand.Shape, shape, "must broadcast to the logits' shape");
    }

    /// <summary>Adds value(i) over the full shape into the operand's gradient, summed over its broadcast axes.</summary>
    private static void ReduceToOperand(Tensor operand, int[] fullShape, Func<int, float> value)
    {
        int n = ShapeUtil.Count(fullShape);
        var full = BufferPool.Rent(n);
        for (int i = 0; i < n; i++) full[i] = value(i);
        var buffer = operand.GradBuffer(out bool accumulate);
        Broadcasting.SumToShape(full, fullShape, buffer, operand.Shape, accumulate);
        BufferPool.Return(full);
    }

    private static void CheckSameShape(string op, Tensor a, Tensor b)
    {
        if (!ShapeUtil.SameShape(a.Shape, b.Shape)) throw new ShapeMismatchException(op, a.Shape, b.Shape);
    }
}
