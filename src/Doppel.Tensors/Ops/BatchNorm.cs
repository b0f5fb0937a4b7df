using Doppel.Tensors.Autograd;
using Doppel.Tensors.Kernels;

namespace Doppel.Tensors;

/// <summary>
/// Batch normalisation over channels-last tensors (NHWC images, or (N, C) features): statistics
/// per channel over every other axis, as PyTorch's F.batch_norm. Also the normalisation step
/// that <see cref="InstanceNorm2d"/> shares.
/// </summary>
public static partial class Ops
{
    /// <summary>
    /// y = (x - mean) / sqrt(var + eps) * weight + bias per channel (the last axis), as PyTorch's
    /// <c>F.batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)</c>.
    /// With <paramref name="training"/> (or without running statistics) mean and var are the
    /// batch's (var biased, divided by the count) and the backward pass goes through them; with
    /// running statistics in training mode they are updated in place, PyTorch's way:
    /// running = (1 - momentum) * running + momentum * batch, the variance unbiased (count - 1).
    /// Otherwise (eval) the running statistics normalise and are left alone. Weight and bias
    /// (shape [C]) are optional, meaning 1 and 0.
    /// </summary>
    public static Tensor BatchNorm(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum = 0.1f, float eps = 1e-5f)
    {
        const string op = "batch_norm";
        if (x.Rank < 2) throw new ShapeMismatchException(op, x.Shape, [], "input must have a batch axis and a channel axis (last)");
        int c = x.Shape[^1], rows = x.Size / Math.Max(1, c);
        CheckChannelVector(op, x, weight, "weight");
        CheckChannelVector(op, x, bias, "bias");
        CheckChannelVector(op, x, runningMean, "running_mean");
        CheckChannelVector(op, x, runningVar, "running_var");
        if ((runningMean is null) != (runningVar is null))
            throw new ArgumentException($"{op}: running_mean and running_var go together (both or neither)");
        if (!(eps > 0)) throw new ArgumentException($"{op}: eps must be > 0, not {eps}");

        if (!training && runningMean is not null)
        {
            var mean = runningMean.Data.Select(v => (double)v).ToArray();
            var variance = runningVar!.Data.Select(v => (double)v).ToArray();
            return NormalizeChannels(op, x, 1, rows, mean, variance, weight, bias, eps, batchStats: false);
        }

        if (training && rows < 2)
            throw new ArgumentException($"{op}: expected more than 1 value per channel when training, got input shape {ShapeUtil.Format(x.Shape)}");
        var batchMean = new double[c];
        var m2 = new double[c];
        ChannelNorm.Moments(x.Data, 1, rows, c, batchMean, m2, ChannelNorm.DefaultSimd);
        var batchVar = m2.Select(q => q / rows).ToArray();
        if (training && runningMean is not null)
        {
            float[] rm = runningMean.Data, rv = runningVar!.Data;
            for (int ch = 0; ch < c; ch++)
            {
                rm[ch] = (float)((1.0 - momentum) * rm[ch] + momentum * batchMean[ch]);
                rv[ch] = (float)((1.0 - momentum) * rv[ch] + momentum * (m2[ch] / (rows - 1)));
            }
        }
        return NormalizeChannels(op, x, 1, rows, batchMean, batchVar, weight, bias, eps, batchStats: true);
    }

    private static void CheckChannelVector(string op, Tensor x, Tensor? v, string what)
    {
        if (v is not null && (v.Rank != 1 || v.Shape[0] != x.Shape[^1]))
            throw new ShapeMismatchException($"{op} ({what})", x.Shape, v.Shape, $"{what} needs one value per channel (the last axis)");
    }

    /// <summary>
    /// Normalises channels-last x, seen as <paramref name="segments"/> blocks of
    /// <paramref name="rowsPerSegment"/> rows, with a mean and variance per (segment, channel),
    /// then applies the per-channel weight and bias. With <paramref name="batchStats"/> the
    /// statistics are x's own and the backward pass differentiates through them:
    /// dx = w / sigma * (g - mean(g) - xhat * mean(g * xhat)) over each segment's rows;
    /// otherwise they are constants and dx = w / sigma * g.
    /// </summary>
    private static Tensor NormalizeChannels(string op, Tensor x, int segments, int rowsPerSegment, double[] mean, double[] variance,
        Tensor? weight, Tensor? bias, float eps, bool batchStats)
    {
        int c = x.Shape[^1], n = segments * c;
        var center = new float[n];
        var invStd = new double[n];
        var scale = new float[n];
        var shift = new float[n];
        float[]? w = weight?.Data, b = bias?.Data;
        for (int i = 0; i < n; i++)
        {
            int ch = i % c;
            center[i] = (float)mean[i];
            invStd[i] = 1.0 / Math.Sqrt(variance[i] + eps);
            scale[i] = (float)((w?[ch] ?? 1f) * invStd[i]);
            shift[i] = b?[ch] ?? 0f;
        }
        bool simd = ChannelNorm.DefaultSimd;
        var y = Tensor.Empty((int[])x.Shape.Clone());
        ChannelNorm.Normalize(x.Data, y.Data, segments, rowsPerSegment, c, center, scale, shift, simd);

        Tensor[] inputs = [x, .. weight is null ? Array.Empty<Tensor>() : [weight], .. bias is null ? Array.Empty<Tensor>() : [bias]];
        return OpRecorder.Record(y, op, inputs, g =>
        {
            bool needX = x.RequiresGrad, needSums = (batchStats && needX) || weight?.RequiresGrad == true || bias?.RequiresGrad == true;
            var sumG = new double[n];
            var sumGx = new double[n]; // sum of g * (x - mean): the weight's gradient times sigma
            if (needSums) ChannelNorm.GradSums(g.Data, x.Data, segments, rowsPerSegment, c, center, sumG, sumGx, simd);
            if (weight is { RequiresGrad: true }) weight.AccumulateGrad(AccumulatedOver(sumGx, invStd, c, segments));
            if (bias is { RequiresGrad: true }) bias.AccumulateGrad(AccumulatedOver(sumG, null, c, segments));
            if (!needX) return;
            // dx = a g + bb (x - mean) + k with a = w / sigma and, through the statistics,
            // bb = -a / sigma * mean(g * xhat) and k = -a * mean(g) (both zero in eval).
            var a = new float[n];
            var bb = new float[n];
            var k = new float[n];
            double count = rowsPerSegment;
            for (int i = 0; i < n; i++)
            {
                double ai = (w?[i % c] ?? 1f) * invStd[i];
                a[i] = (float)ai;
                if (!batchStats) continue;
                double meanGxhat = sumGx[i] * invStd[i] / count;
                bb[i] = (float)(-ai * invStd[i] * meanGxhat);
                k[i] = (float)(-ai * sumG[i] / count);
            }
            var dx = x.GradBuffer(out bool accumulate);
            ChannelNorm.InputGrad(g.Data, x.Data, dx, accumulate, segments, rowsPerSegment, c, center, a, bb, k, simd);
        });
    }

    /// <summary>Per channel: the sum over segments of values[s, c] (times factor[s, c] when given).</summary>
    private static float[] AccumulatedOver(double[] values, double[]? factor, int c, int segments)
    {
        var total = new double[c];
        for (int i = 0; i < segments * c; i++) total[i % c] += values[i] * (factor?[i] ?? 1.0);
        return total.Select(v => (float)v).ToArray();
    }
}
