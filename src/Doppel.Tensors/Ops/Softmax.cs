using System.Numerics.Tensors;
using Doppel.Tensors.Autograd;

namespace Doppel.Tensors;

/// <summary>
/// Softmax, log-softmax and softmax cross-entropy along the last axis. Each row is shifted by its
/// maximum before exp (log-sum-exp), so no logit overflows; the row loops are TensorPrimitives
/// calls (vectorised, tails included) and rows run in parallel.
/// </summary>
public static partial class Ops
{
    /// <summary>exp(x - max) / sum(exp(x - max)) over the last axis; a row of -inf gives NaN, as in PyTorch.</summary>
    public static Tensor Softmax(Tensor x)
    {
        var (rows, classes) = SoftmaxRows("softmax", x);
        var y = Tensor.Empty((int[])x.Shape.Clone());
        float[] xd = x.Data, yd = y.Data;
        Kernels.Par.For(rows, RowsPerChunk(classes), (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                var src = xd.AsSpan(r * classes, classes);
                var dst = yd.AsSpan(r * classes, classes);
                TensorPrimitives.Subtract(src, TensorPrimitives.Max(src), dst);
                TensorPrimitives.Exp(dst, dst);
                TensorPrimitives.Multiply(dst, 1f / TensorPrimitives.Sum(dst), dst);
            }
        });
        return OpRecorder.Record(y, "softmax", [x], g =>
        {
            // dx = y * (g - sum(g * y)) row by row
            var dx = x.GradBuffer(out bool accumulate);
            float[] gd = g.Data;
            Kernels.Par.For(rows, RowsPerChunk(classes), (s, e) =>
            {
                var tmp = BufferPool.Rent(classes);
                for (int r = s; r < e; r++)
                {
                    var gr = gd.AsSpan(r * classes, classes);
                    var yr = yd.AsSpan(r * classes, classes);
                    TensorPrimitives.Subtract(gr, TensorPrimitives.Dot(gr, yr), tmp);
                    AddOrWrite(tmp, yr, dx.AsSpan(r * classes, classes), accumulate);
                }
                BufferPool.Return(tmp);
            });
        });
    }

    /// <summary>x - max - log(sum(exp(x - max))) over the last axis.</summary>
    public static Tensor LogSoftmax(Tensor x)
    {
        var (rows, classes) = SoftmaxRows("log_softmax", x);
        var y = Tensor.Empty((int[])x.Shape.Clone());
        float[] xd = x.Data, yd = y.Data;
        Kernels.Par.For(rows, RowsPerChunk(classes), (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                var src = xd.AsSpan(r * classes, classes);
                var dst = yd.AsSpan(r * classes, classes);
                // (x - max) - log(sum): subtracting max + log(sum) at once would round the sum to
                // the ulp of the logits (6e-5 at 1000) before the difference is taken.
                float logSum = ShiftedLogSumExp(src, dst, out _);
                TensorPrimitives.Subtract(dst, logSum, dst);
            }
        });
        return OpRecorder.Record(y, "log_softmax", [x], g =>
        {
            // dx = g - softmax * sum(g), softmax = exp(y)
            var dx = x.GradBuffer(out bool accumulate);
            float[] gd = g.Data;
            Kernels.Par.For(rows, RowsPerChunk(classes), (s, e) =>
            {
                var tmp = BufferPool.Rent(classes);
                for (int r = s; r < e; r++)
                {
                    var gr = gd.AsSpan(r * classes, classes);
                    var dst = dx.AsSpan(r * classes, classes);
                    TensorPrimitives.Exp(yd.AsSpan(r * classes, classes), tmp);
                    TensorPrimitives.Multiply(tmp, -TensorPrimitives.Sum(gr), tmp);
                    TensorPrimitives.Add(tmp, gr, tmp);
                    if (accumulate) TensorPrimitives.Add(dst, tmp, dst); else tmp.AsSpan().CopyTo(dst);
                }
                BufferPool.Return(tmp);
            });
        });
    }

    /// <summary>
    /// Softmax cross-entropy from logits (..., C) and one integer class label in [0, C) per row,
    /// fused and stable (log-sum-exp), as PyTorch's cross_entropy with mean reduction:
    /// <code>
    ///   loss = sum_i [(1 - eps) w[y_i] (lse_i - x[i, y_i]) + (eps / C) sum_c w[c] (lse_i - x[i, c])] / sum_i w[y_i]
    /// </code>
    /// with optional per-class weights w (length C, 1 when absent, so the denominator is the number
    /// of rows) and label smoothing eps in [0, 1]. The gradient reaches the logits only (weights and
    /// labels are constants): dx[i, c] = (A_i softmax[i, c] - a[i, c]) / sum w[y], where a[i, c] is the
    /// coefficient of (lse_i - x[i, c]) above and A_i = sum_c a[i, c].
    /// </summary>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, int[] labels, float[]? classWeights = null, float labelSmoothing = 0f)
    {
        const string op = "softmax_cross_entropy";
        var (rows, classes) = SoftmaxRows(op, logits);
        if (labels.Length != rows)
            throw new ArgumentException($"{op}: {labels.Length} labels for {rows} rows of logits {ShapeUtil.Format(logits.Shape)}");
        if (rows == 0) throw new ArgumentException($"{op}: no rows in logits {ShapeUtil.Format(logits.Shape)}; the mean over an empty batch is undefined");
        for (int i = 0; i < rows; i++)
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentException($"{op}: label {labels[i]} of row {i} is outside [0, {classes})");
        if (classWeights is not null && classWeights.Length != classes)
            throw new ArgumentException($"{op}: {classWeights.Length} class weights for {classes} classes");
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
            throw new ArgumentException($"{op}: label smoothing {labelSmoothing} is outside [0, 1]");

        float eps = labelSmoothing, hit = 1f - eps, spread = eps / classes;
        float[] xd = logits.Data;
        var maxes = new float[rows];
        var logSums = new float[rows];
        var rowLoss = new double[rows];
        Kernels.Par.For(rows, RowsPerChunk(classes), (s, e) =>
        {
            var tmp = BufferPool.Rent(classes);
            for (int r = s; r < e; r++)
            {
                var row = xd.AsSpan(r * classes, classes);
                // tmp = x - max; lse - x[c] = logSum - tmp[c], without rounding lse to the logits' ulp.
                float logSum = logSums[r] = ShiftedLogSumExp(row, tmp, out maxes[r]);
                int y = labels[r];
                float wy = classWeights?[y] ?? 1f;
                double loss = hit * wy * (logSum - tmp[y]);
                if (eps != 0f)
                {
                    // sum_c w[c] (lse - x[c]) from the rounded per-class terms, as PyTorch sums -log_softmax.
                    TensorPrimitives.Subtract(logSum, tmp, tmp);
                    loss += spread * (classWeights is null ? TensorPrimitives.Sum(tmp) : TensorPrimitives.Dot(tmp, classWeights));
                }
                rowLoss[r] = loss;
            }
            BufferPool.Return(tmp);
        });
        double total = 0, weightSum = 0;
        for (int r = 0; r < rows; r++)
        {
            total += rowLoss[r];
            weightSum += classWeights?[labels[r]] ?? 1f;
        }
        var result = Tensor.Scalar((float)(total / weightSum));
        float classWeightSum = classWeights is null ? classes : TensorPrimitives.Sum(classWeights);
        return OpRecorder.Record(result, op, [logits], g =>
        {
            var dx = logits.GradBuffer(out bool accumulate);
            float scale = (float)(g.Data[0] / weightSum);
            Kernels.Par.For(rows, RowsPerChunk(classes), (s, e) =>
            {
                var tmp = BufferPool.Rent(classes);
                for (int r = s; r < e; r++)
                {
                    int y = labels[r];
                    float wy = classWeights?[y] ?? 1f;
                    // A_i softmax - a_i: softmax = exp(x - lse), a_i = hit w[y] at y plus spread w[c] everywhere.
                    TensorPrimitives.Subtract(xd.AsSpan(r * classes, classes), maxes[r], tmp);
                    TensorPrimitives.Subtract(tmp, logSums[r], tmp);
                    TensorPrimitives.Exp(tmp, tmp);
                    TensorPrimitives.Multiply(tmp, hit * wy + spread * classWeightSum, tmp);
                    if (eps != 0f)
                    {
                        if (classWeights is null) TensorPrimitives.Subtract(tmp, spread, tmp);
                        else TensorPrimitives.MultiplyAdd(classWeights, -spread, tmp, tmp);
                    }
                    tmp[y] -= hit * wy;
                    var dst = dx.AsSpan(r * classes, classes);
                    if (accumulate) TensorPrimitives.MultiplyAdd(tmp, scale, dst, dst);
                    else TensorPrimitives.Multiply(tmp, scale, dst);
                }
                BufferPool.Return(tmp);
            });
        });
    }

    /// <summary>
    /// log(sum(exp(row - max))), leaving row - max in <paramref name="shifted"/> (at least the row's
    /// length; it may be the output row) and the max in <paramref name="max"/>.
    /// </summary>
    private static float ShiftedLogSumExp(ReadOnlySpan<float> row, Span<float> shifted, out float max)
    {
        max = TensorPrimitives.Max(row);
        var tmp = shifted[..row.Length];
        TensorPrimitives.Subtract(row, max, tmp);
        float sum = 0;
        // exp into a stack block at a time, so tmp keeps x - max for the caller
        Span<float> block = stackalloc float[256];
        for (int i = 0; i < tmp.Length; i += block.Length)
        {
            var part = tmp.Slice(i, Math.Min(block.Length, tmp.Length - i));
            TensorPrimitives.Exp(part, block[..part.Length]);
            sum += TensorPrimitives.Sum(block[..part.Length]);
        }
        return MathF.Log(sum);
    }

    /// <summary>Rows and classes of a softmax over the last axis; the class axis must not be empty.</summary>
    private static (int Rows, int Classes) SoftmaxRows(string op, Tensor x)
    {
        if (x.Rank < 1 || x.Shape[^1] < 1)
            throw new ShapeMismatchException(op, x.Shape, [], "needs a non-empty last (class) axis");
        return (x.Size / x.Shape[^1], x.Shape[^1]);
    }

    /// <summary>Enough rows per parallel chunk for about 16K elements of work.</summary>
    private static int RowsPerChunk(int classes) => Math.Max(1, (1 << 14) / classes);

    /// <summary>dst = a * b, or dst += a * b when accumulating.</summary>
    private static void AddOrWrite(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst, bool accumulate)
    {
        if (accumulate) TensorPrimitives.MultiplyAdd(a, b, dst, dst);
        else TensorPrimitives.Multiply(a, b, dst);
    }
}
