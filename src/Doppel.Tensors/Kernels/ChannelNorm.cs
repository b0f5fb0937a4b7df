using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// The passes of batch and instance normalisation over channels-last data, seen as
/// <c>segments</c> blocks of <c>rowsPerSegment</c> rows of C channels: one segment of N*H*W rows
/// for batch norm, N segments of H*W rows for instance norm. Statistics are per (segment,
/// channel). Rows are contiguous runs of C floats, so every pass walks memory in order and
/// vectorises across channels: one <see cref="Vector{T}"/> per step (8 lanes with AVX2; .NET
/// keeps it at 8 on AVX-512 machines too unless told otherwise, which costs nothing here: every
/// pass is bound by memory bandwidth, not arithmetic), then a scalar tail of C mod lanes
/// channels; with <c>simd: false</c> the scalar twin does every channel. Lanes are channels, so
/// both paths do the same float operations in the same order and agree bit for bit (tests check
/// that). Work is split across cores by rows; each split computes its partial statistics
/// independently and the partials are merged in a fixed order, so results do not depend on
/// scheduling.
/// </summary>
internal static class ChannelNorm
{
    public static bool DefaultSimd => Vector.IsHardwareAccelerated;

    /// <summary>
    /// Rows per tile of the statistics passes: sums run in float over a tile's rows, then in
    /// double across tiles, which bounds float rounding to a tile's worth of terms.
    /// </summary>
    private const int TileRows = 256;

    /// <summary>Below this many floats per split the work stays on one thread.</summary>
    private const int MinSplitFloats = 1 << 15;

    /// <summary>
    /// Mean and M2 (the sum of squared deviations from the mean) of every (segment, channel),
    /// written to mean[s * C + c] and m2[s * C + c]. One pass over memory (see PartMoments), the
    /// splits merged in double with Chan et al.'s pairwise update. Summing x and x^2 directly
    /// would cancel away the variance of data far from zero (E[x^2] - E[x]^2).
    /// </summary>
    public static void Moments(float[] x, int segments, int rowsPerSegment, int channels, double[] mean, double[] m2, bool simd)
    {
        int parts = SplitsPerSegment(segments, rowsPerSegment, channels);
        int items = segments * parts, c = channels;
        var partMean = ArrayPool<double>.Shared.Rent(items * c);
        var partM2 = ArrayPool<double>.Shared.Rent(items * c);
        try
        {
            ForItems(items, segments, rowsPerSegment, channels, item =>
            {
                var (r0, r1) = PartRows(item, parts, rowsPerSegment);
                int segRow = item / parts * rowsPerSegment;
                PartMoments(x.AsSpan((segRow + r0) * c, (r1 - r0) * c), c,
                    partMean.AsSpan(item * c, c), partM2.AsSpan(item * c, c), simd);
            });
            // Merge the parts of each segment in order.
            for (int s = 0; s < segments; s++)
                for (int ch = 0; ch < c; ch++)
                {
                    double n = 0, mu = 0, q = 0;
                    for (int p = 0; p < parts; p++)
                    {
                        var (r0, r1) = PartRows(s * parts + p, parts, rowsPerSegment);
                        if (r1 == r0) continue;
                        Merge(ref n, ref mu, ref q, r1 - r0, partMean[(s * parts + p) * c + ch], partM2[(s * parts + p) * c + ch]);
                    }
                    mean[s * c + ch] = mu;
                    m2[s * c + ch] = q;
                }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(partMean);
            ArrayPool<double>.Shared.Return(partM2);
        }
    }

    /// <summary>Chan's update: folds a block (count, mean, M2) into the running (n, mean, M2).</summary>
    private static void Merge(ref double n, ref double mean, ref double m2, double count, double blockMean, double blockM2)
    {
        double total = n + count, delta = blockMean - mean;
        mean += delta * (count / total);
        m2 += blockM2 + delta * delta * (n * count / total);
        n = total;
    }

    /// <summary>
    /// Mean and M2 per channel of a block of whole rows (rows * C floats), in one pass: each tile
    /// sums d = x - shift and d^2 in float, where shift is the mean of the tiles before it (a
    /// rough mean of its own rows for the first tile), so d stays on the scale of the spread and its sums cancel
    /// nothing; the tile's mean and M2 then join the running ones in double (Chan's update).
    /// </summary>
    private static void PartMoments(ReadOnlySpan<float> x, int c, Span<double> mean, Span<double> m2, bool simd)
    {
        int rows = x.Length / c, tileRows = TileRows;
        Span<float> sum = c <= 1024 ? stackalloc float[c] : new float[c];
        Span<float> sumSq = c <= 1024 ? stackalloc float[c] : new float[c];
        Span<float> shift = c <= 1024 ? stackalloc float[c] : new float[c];
        // The first shift: the first tile's plain float mean (close enough to the data's mean
        // even when the first row is an outlier, which a shift by that row would not be).
        shift.Clear();
        int first = Math.Min(rows, TileRows);
        for (int r = 0; r < first; r++) AddRow(shift, x.Slice(r * c, c), simd);
        for (int ch = 0; ch < c; ch++) shift[ch] /= first;
        mean.Clear();
        m2.Clear();
        double seen = 0;
        for (int t0 = 0; t0 < rows; t0 += tileRows)
        {
            int n = Math.Min(rows, t0 + tileRows) - t0;
            sum.Clear();
            sumSq.Clear();
            for (int r = t0; r < t0 + n; r++) AddShiftedMoments(sum, sumSq, x.Slice(r * c, c), shift, simd);
            // The same weights for every channel: Chan's update with count n after `seen` rows.
            double total = seen + n, wNew = n / total, wCross = seen * n / total, invN = 1.0 / n;
            for (int ch = 0; ch < c; ch++)
            {
                double d = sum[ch] * invN, tileMean = shift[ch] + d;
                double tileM2 = Math.Max(0, sumSq[ch] - n * d * d);
                double delta = tileMean - mean[ch];
                mean[ch] += delta * wNew;
                m2[ch] += tileM2 + delta * delta * wCross;
                shift[ch] = (float)mean[ch];
            }
            seen = total;
        }
    }

    /// <summary>
    /// Per (segment, channel): sumG = sum of g, sumGx = sum of g * (x - center), the two sums that
    /// batch-norm backward needs (the latter is the weight's gradient times the standard deviation).
    /// Float within a tile, double across tiles and splits.
    /// </summary>
    public static void GradSums(float[] g, float[] x, int segments, int rowsPerSegment, int channels, float[] center, double[] sumG, double[] sumGx, bool simd)
    {
        int parts = SplitsPerSegment(segments, rowsPerSegment, channels);
        int items = segments * parts, c = channels;
        var partG = ArrayPool<double>.Shared.Rent(items * c);
        var partGx = ArrayPool<double>.Shared.Rent(items * c);
        try
        {
            ForItems(items, segments, rowsPerSegment, channels, item =>
            {
                var (r0, r1) = PartRows(item, parts, rowsPerSegment);
                int seg = item / parts, start = (seg * rowsPerSegment + r0) * c, len = (r1 - r0) * c;
                PartGradSums(g.AsSpan(start, len), x.AsSpan(start, len), c, center.AsSpan(seg * c, c),
                    partG.AsSpan(item * c, c), partGx.AsSpan(item * c, c), simd);
            });
            for (int s = 0; s < segments; s++)
                for (int ch = 0; ch < c; ch++)
                {
                    double a = 0, b = 0;
                    for (int p = 0; p < parts; p++)
                    {
                        a += partG[(s * parts + p) * c + ch];
                        b += partGx[(s * parts + p) * c + ch];
                    }
                    sumG[s * c + ch] = a;
                    sumGx[s * c + ch] = b;
                }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(partG);
            ArrayPool<double>.Shared.Return(partGx);
        }
    }

    private static void PartGradSums(ReadOnlySpan<float> g, ReadOnlySpan<float> x, int c, ReadOnlySpan<float> center, Span<double> sumG, Span<double> sumGx, bool simd)
    {
        int rows = x.Length / c, tileRows = TileRows;
        Span<float> tg = c <= 1024 ? stackalloc float[c] : new float[c];
        Span<float> tgx = c <= 1024 ? stackalloc float[c] : new float[c];
        sumG.Clear();
        sumGx.Clear();
        for (int t0 = 0; t0 < rows; t0 += tileRows)
        {
            int t1 = Math.Min(rows, t0 + tileRows);
            tg.Clear();
            tgx.Clear();
            for (int r = t0; r < t1; r++) AddGradRow(tg, tgx, g.Slice(r * c, c), x.Slice(r * c, c), center, simd);
            for (int ch = 0; ch < c; ch++)
            {
                sumG[ch] += tg[ch];
                sumGx[ch] += tgx[ch];
            }
        }
    }

    /// <summary>y = (x - center) * scale + shift, with center, scale and shift per (segment, channel).</summary>
    public static void Normalize(float[] x, float[] y, int segments, int rowsPerSegment, int channels, float[] center, float[] scale, float[] shift, bool simd)
    {
        int c = channels;
        ForRows(segments * rowsPerSegment, c, (r0, r1) =>
        {
            for (int r = r0; r < r1;)
            {
                int seg = r / rowsPerSegment, end = Math.Min(r1, (seg + 1) * rowsPerSegment);
                ReadOnlySpan<float> m = center.AsSpan(seg * c, c), s = scale.AsSpan(seg * c, c), t = shift.AsSpan(seg * c, c);
                for (; r < end; r++) NormalizeRow(x.AsSpan(r * c, c), y.AsSpan(r * c, c), m, s, t, simd);
            }
        });
    }

    /// <summary>
    /// dx = a * g + b * (x - center) + k, or dx += that when <paramref name="accumulate"/>: the
    /// input gradient of batch norm with its per-(segment, channel) coefficients folded in.
    /// </summary>
    public static void InputGrad(float[] g, float[] x, float[] dx, bool accumulate, int segments, int rowsPerSegment, int channels,
        float[] center, float[] a, float[] b, float[] k, bool simd)
    {
        int c = channels;
        ForRows(segments * rowsPerSegment, c, (r0, r1) =>
        {
            for (int r = r0; r < r1;)
            {
                int seg = r / rowsPerSegment, end = Math.Min(r1, (seg + 1) * rowsPerSegment), p = seg * c;
                ReadOnlySpan<float> m = center.AsSpan(p, c), sa = a.AsSpan(p, c), sb = b.AsSpan(p, c), sk = k.AsSpan(p, c);
                for (; r < end; r++)
                {
                    if (accumulate) InputGradRow(g.AsSpan(r * c, c), x.AsSpan(r * c, c), dx.AsSpan(r * c, c), true, m, sa, sb, sk, simd);
                    else InputGradRow(g.AsSpan(r * c, c), x.AsSpan(r * c, c), dx.AsSpan(r * c, c), false, m, sa, sb, sk, simd);
                }
            }
        });
    }

    // ---- splitting ------------------------------------------------------------------------

    /// <summary>Splits per segment: enough to keep every core busy when there are fewer segments than cores.</summary>
    private static int SplitsPerSegment(int segments, int rowsPerSegment, int channels)
    {
        if (segments >= Par.Threads) return 1;
        long floats = (long)rowsPerSegment * channels;
        int wanted = (Par.Threads + segments - 1) / segments;
        return (int)Math.Clamp(floats / MinSplitFloats, 1, Math.Min(wanted, rowsPerSegment));
    }

    private static (int Start, int End) PartRows(int item, int parts, int rowsPerSegment)
    {
        int p = item % parts;
        return ((int)((long)rowsPerSegment * p / parts), (int)((long)rowsPerSegment * (p + 1) / parts));
    }

    private static void ForItems(int items, int segments, int rowsPerSegment, int channels, Action<int> body)
    {
        long floats = (long)segments * rowsPerSegment * channels;
        int minItems = (int)Math.Max(1, MinSplitFloats * (long)items / Math.Max(1, floats));
        Par.For(items, minItems, (s, e) =>
        {
            for (int i = s; i < e; i++) body(i);
        });
    }

    private static void ForRows(int rows, int channels, Action<int, int> body) =>
        Par.For(rows, Math.Max(1, MinSplitFloats / channels), body);

    // ---- row kernels: Vector<float> lanes over channels, then the scalar twin for the tail ------
    // Every span passed to one kernel is at least as long as the row, so the unchecked loads
    // below (at i + lanes <= row length) stay inside all of them.

    private static int Lanes => Vector<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Load(ReadOnlySpan<float> s, int i) => Vector.LoadUnsafe(ref MemoryMarshal.GetReference(s), (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector<float> v, Span<float> s, int i) => v.StoreUnsafe(ref MemoryMarshal.GetReference(s), (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(Span<float> acc, ReadOnlySpan<float> row, bool simd)
    {
        int i = 0;
        if (simd)
            for (; i + Lanes <= row.Length; i += Lanes) Store(Load(acc, i) + Load(row, i), acc, i);
        for (; i < row.Length; i++) acc[i] += row[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddShiftedMoments(Span<float> sum, Span<float> sumSq, ReadOnlySpan<float> row, ReadOnlySpan<float> shift, bool simd)
    {
        int i = 0;
        if (simd)
            for (; i + Lanes <= row.Length; i += Lanes)
            {
                var d = Load(row, i) - Load(shift, i);
                Store(Load(sum, i) + d, sum, i);
                Store(Vector.FusedMultiplyAdd(d, d, Load(sumSq, i)), sumSq, i);
            }
        for (; i < row.Length; i++)
        {
            float d = row[i] - shift[i];
            sum[i] += d;
            sumSq[i] = MathF.FusedMultiplyAdd(d, d, sumSq[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddGradRow(Span<float> sumG, Span<float> sumGx, ReadOnlySpan<float> g, ReadOnlySpan<float> x, ReadOnlySpan<float> center, bool simd)
    {
        int i = 0;
        if (simd)
            for (; i + Lanes <= g.Length; i += Lanes)
            {
                var gv = Load(g, i);
                Store(Load(sumG, i) + gv, sumG, i);
                Store(Vector.FusedMultiplyAdd(gv, Load(x, i) - Load(center, i), Load(sumGx, i)), sumGx, i);
            }
        for (; i < g.Length; i++)
        {
            sumG[i] += g[i];
            sumGx[i] = MathF.FusedMultiplyAdd(g[i], x[i] - center[i], sumGx[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void NormalizeRow(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> center, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, bool simd)
    {
        int i = 0;
        if (simd)
            for (; i + Lanes <= x.Length; i += Lanes)
                Store(Vector.FusedMultiplyAdd(Load(x, i) - Load(center, i), Load(scale, i), Load(shift, i)), y, i);
        for (; i < x.Length; i++) y[i] = MathF.FusedMultiplyAdd(x[i] - center[i], scale[i], shift[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputGradRow(ReadOnlySpan<float> g, ReadOnlySpan<float> x, Span<float> dx, bool accumulate,
        ReadOnlySpan<float> center, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> k, bool simd)
    {
        int i = 0;
        if (simd)
            for (; i + Lanes <= g.Length; i += Lanes)
            {
                var v = Vector.FusedMultiplyAdd(Load(a, i), Load(g, i), Vector.FusedMultiplyAdd(Load(b, i), Load(x, i) - Load(center, i), Load(k, i)));
                if (accumulate) v += Load(dx, i);
                Store(v, dx, i);
            }
        for (; i < g.Length; i++)
        {
            float v = MathF.FusedMultiplyAdd(a[i], g[i], MathF.FusedMultiplyAdd(b[i], x[i] - center[i], k[i]));
            dx[i] = accumulate ? dx[i] + v : v;
        }
    }
}
