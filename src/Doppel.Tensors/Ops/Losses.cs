using Doppel.Tensors.Autograd;

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
    /// Binary cross-entropy on logits, mean over elements, computed stably as
    /// max(x, 0) - x*z + log(1 + exp(-|x|)). Targets may be soft (label smoothing).
    /// </summary>
    public static Tensor BceWithLogits(Tensor logits, Tensor targets)
    {
        CheckSameShape("bce_with_logits", logits, targets);
        int n = logits.Size;
        float[] x = logits.Data, z = targets.Data;
        double sum = 0;
        for (int i = 0; i < n; i++)
            sum += Math.Max(x[i], 0f) - x[i] * z[i] + Math.Log(1.0 + Math.Exp(-Math.Abs(x[i])));
        var y = Tensor.Scalar((float)(sum / Math.Max(1, n)));
        return OpRecorder.Record(y, "bce_with_logits", [logits, targets], g =>
        {
            float scale = g.Data[0] / Math.Max(1, n);
            if (logits.RequiresGrad)
            {
                var dx = logits.GradBuffer(out bool acc);
                for (int i = 0; i < n; i++)
                {
                    float d = (1f / (1f + MathF.Exp(-x[i])) - z[i]) * scale;
                    dx[i] = acc ? dx[i] + d : d;
                }
            }
            if (targets.RequiresGrad)
            {
                var dz = targets.GradBuffer(out bool acc);
                for (int i = 0; i < n; i++) dz[i] = acc ? dz[i] - x[i] * scale : -x[i] * scale;
            }
        });
    }

    private static void CheckSameShape(string op, Tensor a, Tensor b)
    {
        if (!ShapeUtil.SameShape(a.Shape, b.Shape)) throw new ShapeMismatchException(op, a.Shape, b.Shape);
    }
}
