using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// The passes of layer normalisation: x seen as rows of D contiguous features, each row
/// normalised by its own mean and variance, then a per-feature weight and bias. Rows are
/// independent, so they are split across cores; inside a row the loops take one
/// <see cref="Vector{T}"/> (8 lanes with AVX2) per step and finish the D mod lanes tail with
/// the scalar twin (all of it with <c>simd: false</c>). Weight and bias gradients are summed
/// per split in float over tiles of rows, in double across tiles, and the splits are added in
/// a fixed order. A
/// row's own sums (mean, variance, the two means of the backward pass) are float in per-lane
/// accumulators: a row is short (the feature count), so that costs little precision.
/// </summary>
internal static class RowNorm
{
    public static bool DefaultSimd => Vector.IsHardwareAccelerated;

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

    // ---- row kernels: Vector<float> lanes, then the scalar twin for the tail -------------------
    // Every span passed to one kernel is at least as long as the row, so the unchecked loads
    // below (at i + lanes <= row length) stay inside all of them.

    private static int Lanes => Vector<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Load(ReadOnlySpan<float> s, int i) => Vector.LoadUnsafe(ref MemoryMarshal.GetReference(s), (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector<float> v, Span<float> s, int i) => v.StoreUnsafe(ref MemoryMarshal.GetReference(s), (nuint)i);

    private static float Sum(ReadOnlySpan<float> x, bool simd)
    {
        int i = 0;
        float total = 0;
        if (simd && x.Length >= Lanes)
        {
            var acc = Vector<float>.Zero;
            for (; i + Lanes <= x.Length; i += Lanes) acc += Load(x, i);
            total = Vector.Sum(acc);
        }
        for (; i < x.Length; i++) total += x[i];
        return total;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b, bool simd)
    {
        int i = 0;
        float total = 0;
        if (simd && a.Length >= Lanes)
        {
            var acc = Vector<float>.Zero;
            for (; i + Lanes <= a.Length; i += Lanes) acc = Vector.FusedMultiplyAdd(Load(a, i), Load(b, i), acc);
            total = Vector.Sum(acc);
        }
        for (; i < a.Length; i++) total = MathF.FusedMultiplyAdd(a[i], b[i], total);
        return total;
    }

    private static float SquaredDeviation(ReadOnlySpan<float> x, float center, bool simd)
    {
        int i = 0;
        float total = 0;
        if (simd && x.Length >= Lanes)
        {
            var acc = Vector<float>.Zero;
            var vc = new Vector<float>(center);
            for (; i + Lanes <= x.Length; i += Lanes)
            {
                var v = Load(x, i) - vc;
                acc = Vector.FusedMultiplyAdd(v, v, acc);
            }
            total = Vector.Sum(acc);
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
            var vm = new Vector<float>(mean);
            var vs = new Vector<float>(invStd);
            for (; i + Lanes <= x.Length; i += Lanes)
            {
                var v = (Load(x, i) - vm) * vs;
                if (weight is not null) v *= Load(weight, i);
                if (bias is not null) v += Load(bias, i);
                Store(v, y, i);
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
            var vm = new Vector<float>(mean);
            var vs = new Vector<float>(invStd);
            for (; i + Lanes <= x.Length; i += Lanes) Store((Load(x, i) - vm) * vs, xhat, i);
        }
        for (; i < x.Length; i++) xhat[i] = (x[i] - mean) * invStd;
    }

    private static void MultiplyAdd(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> acc, bool simd)
    {
        int i = 0;
        if (simd)
            for (; i + Lanes <= a.Length; i += Lanes) Store(Vector.FusedMultiplyAdd(Load(a, i), Load(b, i), Load(acc, i)), acc, i);
        for (; i < a.Length; i++) acc[i] = MathF.FusedMultiplyAdd(a[i], b[i], acc[i]);
    }

    private static void Add(ReadOnlySpan<float> a, Span<float> acc, bool simd)
    {
        int i = 0;
        if (simd)
            for (; i + Lanes <= a.Length; i += Lanes) Store(Load(a, i) + Load(acc, i), acc, i);
        for (; i < a.Length; i++) acc[i] += a[i];
    }

    private static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> result, bool simd)
    {
        int i = 0;
        if (simd)
            for (; i + Lanes <= a.Length; i += Lanes) Store(Load(a, i) * Load(b, i), result, i);
        for (; i < a.Length; i++) result[i] = a[i] * b[i];
    }

    /// <summary>dx (+)= invStd * (gw - meanG - xhat * meanGx).</summary>
    private static void RowInputGrad(ReadOnlySpan<float> gw, ReadOnlySpan<float> xhat, Span<float> dx, bool accumulate, float invStd, float meanG, float meanGx, bool simd)
    {
        int i = 0;
        if (simd)
        {
            var vs = new Vector<float>(invStd);
            var vg = new Vector<float>(meanG);
            var vgx = new Vector<float>(meanGx);
            for (; i + Lanes <= gw.Length; i += Lanes)
            {
                var v = (Load(gw, i) - vg - Load(xhat, i) * vgx) * vs;
                if (accumulate) v += Load(dx, i);
                Store(v, dx, i);
            }
        }
        for (; i < gw.Length; i++)
        {
            float v = (gw[i] - meanG - xhat[i] * meanGx) * invStd;
            dx[i] = accumulate ? dx[i] + v : v;
        }
    }
}
