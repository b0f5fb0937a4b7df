using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// The passes of layer normalisation: x seen as rows of D contiguous features, each row
/// normalised by its own mean and variance, then a per-feature weight and bias. Rows are
/// independent, so they are split across cores; inside a row the loops take 16 lanes of
/// <see cref="Vector512{T}"/> per step and finish the D mod 16 tail with the scalar twin (all
/// of it with <c>simd: false</c>). Weight and bias gradients are summed per split in float
/// over tiles of rows, in double across tiles, and the splits are added in a fixed order. A
/// row's own sums (mean, variance, the two means of the backward pass) are float in 16 lane
/// accumulators: a row is short (the feature count), so that costs little precision.
/// </summary>
internal static class RowNorm
{
    public static bool DefaultSimd => Vector512.IsHardwareAccelerated;

    private const int MinSplitFloats = 1 << 15;
    private const int TileRows = 64;

    /// <summary>
    /// Per row: mean[r] and invStd[r] = 1 / sqrt(biased variance + eps), and
    /// y = (x - mean) * invStd * weight + bias (weight and bias null for none).
    /// </summary>
    public static void Forward(float[] x, float[] y, int rows, int d, float[]? weight, float[]? bias, float eps, float[] mean, float[] invStd, bool simd)
    {
        Par.For(rows, Math.Max(1, MinSplitFloats / d), (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                var xr = x.AsSpan(r * d, d);
                float mu = Sum(xr, simd) / d;
                double variance = (double)SquaredDeviation(xr, mu, simd) / d;
                mean[r] = mu;
                invStd[r] = (float)(1.0 / Math.Sqrt(variance + eps));
                NormalizeRow(xr, y.AsSpan(r * d, d), mean[r], invStd[r], weight, bias, simd);
            }
        });
    }

    /// <summary>
    /// dx (or dx += when accumulating) = invStd * (gw - mean(gw) - xhat * mean(gw * xhat)) with
    /// gw = g * weight, per row; and, when asked, dWeight = sum over rows of g * xhat and
    /// dBias = sum of g (written, not accumulated).
    /// </summary>
    public static void Backward(float[] g, float[] x, int rows, int d, float[]? weight, float[] mean, float[] invStd,
        float[]? dx, bool accumulate, double[]? dWeight, double[]? dBias, bool simd)
    {
        int splits = Math.Clamp((int)((long)rows * d / MinSplitFloats), 1, Math.Min(Par.Threads, rows));
        double[]? partW = dWeight is null ? null : new double[splits * d];
        double[]? partB = dBias is null ? null : new double[splits * d];
        Par.For(splits, 1, (s0, s1) =>
        {
            float[] xhat = new float[d], gw = new float[d];
            float[]? tileW = partW is null ? null : new float[d], tileB = partB is null ? null : new float[d];
            for (int s = s0; s < s1; s++)
            {
                int r0 = (int)((long)rows * s / splits), r1 = (int)((long)rows * (s + 1) / splits);
                for (int t0 = r0; t0 < r1; t0 += TileRows)
                {
                    int t1 = Math.Min(r1, t0 + TileRows);
                    tileW?.AsSpan().Clear();
                    tileB?.AsSpan().Clear();
                    for (int r = t0; r < t1; r++)
                    {
                        var gr = g.AsSpan(r * d, d);
                        Standardize(x.AsSpan(r * d, d), xhat, mean[r], invStd[r], simd);
                        if (tileW is not null) MultiplyAdd(gr, xhat, tileW, simd);
                        if (tileB is not null) Add(gr, tileB, simd);
                        if (dx is null) continue;
                        ReadOnlySpan<float> gws = gr;
                        if (weight is not null)
                        {
                            Multiply(gr, weight, gw, simd);
                            gws = gw;
                        }
                        float meanG = Sum(gws, simd) / d, meanGx = Dot(gws, xhat, simd) / d;
                        RowInputGrad(gws, xhat, dx.AsSpan(r * d, d), accumulate, invStd[r], meanG, meanGx, simd);
                    }
                    for (int i = 0; i < d; i++)
                    {
                        if (tileW is not null) partW![s * d + i] += tileW[i];
                        if (tileB is not null) partB![s * d + i] += tileB[i];
                    }
                }
            }
        });
        for (int s = 0; s < splits; s++)
            for (int i = 0; i < d; i++)
            {
                if (dWeight is not null) dWeight[i] = (s == 0 ? 0 : dWeight[i]) + partW![s * d + i];
                if (dBias is not null) dBias[i] = (s == 0 ? 0 : dBias[i]) + partB![s * d + i];
            }
    }

    // ---- row kernels ------------------------------------------------------------------------

    private static float Sum(ReadOnlySpan<float> x, bool simd)
    {
        int i = 0;
        float total = 0;
        if (simd && x.Length >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= x.Length; i += 16) acc += Vector512.Create(x.Slice(i));
            total = Vector512.Sum(acc);
        }
        for (; i < x.Length; i++) total += x[i];
        return total;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b, bool simd)
    {
        int i = 0;
        float total = 0;
        if (simd && a.Length >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= a.Length; i += 16) acc = Vector512.FusedMultiplyAdd(Vector512.Create(a.Slice(i)), Vector512.Create(b.Slice(i)), acc);
            total = Vector512.Sum(acc);
        }
        for (; i < a.Length; i++) total = MathF.FusedMultiplyAdd(a[i], b[i], total);
        return total;
    }

    private static float SquaredDeviation(ReadOnlySpan<float> x, float center, bool simd)
    {
        int i = 0;
        float total = 0;
        if (simd && x.Length >= 16)
        {
            var acc = Vector512<float>.Zero;
            var vc = Vector512.Create(center);
            for (; i + 16 <= x.Length; i += 16)
            {
                var v = Vector512.Create(x.Slice(i)) - vc;
                acc = Vector512.FusedMultiplyAdd(v, v, acc);
            }
            total = Vector512.Sum(acc);
        }
        for (; i < x.Length; i++)
        {
            float v = x[i] - center;
            total = MathF.FusedMultiplyAdd(v, v, total);
        }
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void NormalizeRow(ReadOnlySpan<float> x, Span<float> y, float mean, float invStd, float[]? weight, float[]? bias, bool simd)
    {
        int i = 0;
        if (simd)
        {
            var vm = Vector512.Create(mean);
            var vs = Vector512.Create(invStd);
            for (; i + 16 <= x.Length; i += 16)
            {
                var v = (Vector512.Create(x.Slice(i)) - vm) * vs;
                if (weight is not null) v *= Vector512.Create(weight.AsSpan(i));
                if (bias is not null) v += Vector512.Create(bias.AsSpan(i));
                v.CopyTo(y.Slice(i));
            }
        }
        for (; i < x.Length; i++)
        {
            float v = (x[i] - mean) * invStd;
            if (weight is not null) v *= weight[i];
            if (bias is not null) v += bias[i];
            y[i] = v;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Standardize(ReadOnlySpan<float> x, Span<float> xhat, float mean, float invStd, bool simd)
    {
        int i = 0;
        if (simd)
        {
            var vm = Vector512.Create(mean);
            var vs = Vector512.Create(invStd);
            for (; i + 16 <= x.Length; i += 16) ((Vector512.Create(x.Slice(i)) - vm) * vs).CopyTo(xhat.Slice(i));
        }
        for (; i < x.Length; i++) xhat[i] = (x[i] - mean) * invStd;
    }

    private static void MultiplyAdd(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> acc, bool simd)
    {
        int i = 0;
        if (simd)
            for (; i + 16 <= a.Length; i += 16)
                Vector512.FusedMultiplyAdd(Vector512.Create(a.Slice(i)), Vector512.Create(b.Slice(i)), Vector512.Create(acc.Slice(i))).CopyTo(acc.Slice(i));
        for (; i < a.Length; i++) acc[i] = MathF.FusedMultiplyAdd(a[i], b[i], acc[i]);
    }

    private static void Add(ReadOnlySpan<float> a, Span<float> acc, bool simd)
    {
        int i = 0;
        if (simd)
            for (; i + 16 <= a.Length; i += 16)
                (Vector512.Create(a.Slice(i)) + Vector512.Create(acc.Slice(i))).CopyTo(acc.Slice(i));
        for (; i < a.Length; i++) acc[i] += a[i];
    }

    private static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> result, bool simd)
    {
        int i = 0;
        if (simd)
            for (; i + 16 <= a.Length; i += 16)
                (Vector512.Create(a.Slice(i)) * Vector512.Create(b.Slice(i))).CopyTo(result.Slice(i));
        for (; i < a.Length; i++) result[i] = a[i] * b[i];
    }

    /// <summary>dx (+)= invStd * (gw - meanG - xhat * meanGx).</summary>
    private static void RowInputGrad(ReadOnlySpan<float> gw, ReadOnlySpan<float> xhat, Span<float> dx, bool accumulate, float invStd, float meanG, float meanGx, bool simd)
    {
        int i = 0;
        if (simd)
        {
            var vs = Vector512.Create(invStd);
            var vg = Vector512.Create(meanG);
            var vgx = Vector512.Create(meanGx);
            for (; i + 16 <= gw.Length; i += 16)
            {
                var v = (Vector512.Create(gw.Slice(i)) - vg - Vector512.Create(xhat.Slice(i)) * vgx) * vs;
                if (accumulate) v += Vector512.Create(dx.Slice(i));
                v.CopyTo(dx.Slice(i));
            }
        }
        for (; i < gw.Length; i++)
        {
            float v = (gw[i] - meanG - xhat[i] * meanGx) * invStd;
            dx[i] = accumulate ? dx[i] + v : v;
        }
    }
}
