using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// The passes of batch and instance normalisation over channels-last data, seen as
/// <c>segments</c> blocks of <c>rowsPerSegment</c> rows of C channels: one segment of N*H*W rows
/// for batch norm, N segments of H*W rows for instance norm. Statistics are per (segment,
/// channel). Rows are contiguous runs of C floats, so every pass walks memory in order and
/// vectorises across channels: 16 lanes of <see cref="Vector512{T}"/> per step, then a scalar
/// tail of C mod 16 channels; with <c>simd: false</c> the scalar twin does every channel (tests
/// compare the two). Work is split across cores by rows; each split computes its partial
/// statistics independently and the partials are merged in a fixed order, so results do not
/// depend on scheduling.
/// </summary>
internal static class ChannelNorm
{
    public static bool DefaultSimd => Vector512.IsHardwareAccelerated;

    /// <summary>A tile of rows small enough (16 KB) to stay in L1 between its two passes.</summary>
    private const int TileFloats = 4096;

    /// <summary>Below this many floats per split the work stays on one thread.</summary>
    private const int MinSplitFloats = 1 << 15;

    /// <summary>
    /// Mean and M2 (the sum of squared deviations from the mean) of every (segment, channel),
    /// written to mean[s * C + c] and m2[s * C + c]. One pass over memory: each L1-sized tile of
    /// rows gets its exact two-pass mean and M2 (summing x minus the split's first row, so a
    /// large mean costs no digits), and tiles and splits are merged in double with Chan et al.'s
    /// pairwise update; E[x^2] - E[x]^2 would cancel away the variance of data far from zero.
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

    /// <summary>Mean and M2 per channel of a block of whole rows (rows * C floats), tile by tile.</summary>
    private static void PartMoments(ReadOnlySpan<float> x, int c, Span<double> mean, Span<double> m2, bool simd)
    {
        int rows = x.Length / c, tileRows = Math.Max(1, TileFloats / c);
        Span<float> tileSum = c <= 1024 ? stackalloc float[c] : new float[c];
        Span<float> tileM2 = c <= 1024 ? stackalloc float[c] : new float[c];
        Span<float> center = c <= 1024 ? stackalloc float[c] : new float[c];
        var shift = x.Slice(0, c); // the first row: sums of x - shift stay near the data's spread
        mean.Clear();
        m2.Clear();
        double seen = 0;
        for (int t0 = 0; t0 < rows; t0 += tileRows)
        {
            int t1 = Math.Min(rows, t0 + tileRows), n = t1 - t0;
            var tile = x.Slice(t0 * c, n * c);
            tileSum.Clear();
            tileM2.Clear();
            for (int r = 0; r < n; r++) AddShiftedRow(tileSum, tile.Slice(r * c, c), shift, simd);
            for (int ch = 0; ch < c; ch++) center[ch] = shift[ch] + tileSum[ch] / n;
            for (int r = 0; r < n; r++) AddSquaredDeviation(tileM2, tile.Slice(r * c, c), center, simd);
            for (int ch = 0; ch < c; ch++)
            {
                // The tile's mean in double, and its M2 about it rather than about the rounded center.
                double tileMean = shift[ch] + (double)tileSum[ch] / n, off = tileMean - center[ch];
                double q = Math.Max(0, tileM2[ch] - n * off * off), runN = seen, mu = mean[ch], acc = m2[ch];
                Merge(ref runN, ref mu, ref acc, n, tileMean, q);
                mean[ch] = mu;
                m2[ch] = acc;
            }
            seen += n;
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
        int rows = x.Length / c, tileRows = Math.Max(1, TileFloats / c);
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
            for (int r = r0; r < r1; r++)
            {
                int p = r / rowsPerSegment * c;
                NormalizeRow(x.AsSpan(r * c, c), y.AsSpan(r * c, c), center.AsSpan(p, c), scale.AsSpan(p, c), shift.AsSpan(p, c), simd);
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
            for (int r = r0; r < r1; r++)
            {
                int p = r / rowsPerSegment * c;
                InputGradRow(g.AsSpan(r * c, c), x.AsSpan(r * c, c), dx.AsSpan(r * c, c), accumulate,
                    center.AsSpan(p, c), a.AsSpan(p, c), b.AsSpan(p, c), k.AsSpan(p, c), simd);
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

    // ---- row kernels: Vector512 over channels, then the scalar twin for the tail --------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddShiftedRow(Span<float> acc, ReadOnlySpan<float> row, ReadOnlySpan<float> shift, bool simd)
    {
        int i = 0;
        if (simd)
            for (; i + 16 <= row.Length; i += 16)
                (Vector512.Create(acc.Slice(i)) + (Vector512.Create(row.Slice(i)) - Vector512.Create(shift.Slice(i)))).CopyTo(acc.Slice(i));
        for (; i < row.Length; i++) acc[i] += row[i] - shift[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddSquaredDeviation(Span<float> acc, ReadOnlySpan<float> row, ReadOnlySpan<float> center, bool simd)
    {
        int i = 0;
        if (simd)
            for (; i + 16 <= row.Length; i += 16)
            {
                var d = Vector512.Create(row.Slice(i)) - Vector512.Create(center.Slice(i));
                Vector512.FusedMultiplyAdd(d, d, Vector512.Create(acc.Slice(i))).CopyTo(acc.Slice(i));
            }
        for (; i < row.Length; i++)
        {
            float d = row[i] - center[i];
            acc[i] = MathF.FusedMultiplyAdd(d, d, acc[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddGradRow(Span<float> sumG, Span<float> sumGx, ReadOnlySpan<float> g, ReadOnlySpan<float> x, ReadOnlySpan<float> center, bool simd)
    {
        int i = 0;
        if (simd)
            for (; i + 16 <= g.Length; i += 16)
            {
                var gv = Vector512.Create(g.Slice(i));
                (Vector512.Create(sumG.Slice(i)) + gv).CopyTo(sumG.Slice(i));
                var d = Vector512.Create(x.Slice(i)) - Vector512.Create(center.Slice(i));
                Vector512.FusedMultiplyAdd(gv, d, Vector512.Create(sumGx.Slice(i))).CopyTo(sumGx.Slice(i));
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
            for (; i + 16 <= x.Length; i += 16)
            {
                var d = Vector512.Create(x.Slice(i)) - Vector512.Create(center.Slice(i));
                Vector512.FusedMultiplyAdd(d, Vector512.Create(scale.Slice(i)), Vector512.Create(shift.Slice(i))).CopyTo(y.Slice(i));
            }
        for (; i < x.Length; i++) y[i] = MathF.FusedMultiplyAdd(x[i] - center[i], scale[i], shift[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputGradRow(ReadOnlySpan<float> g, ReadOnlySpan<float> x, Span<float> dx, bool accumulate,
        ReadOnlySpan<float> center, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> k, bool simd)
    {
        int i = 0;
        if (simd)
            for (; i + 16 <= g.Length; i += 16)
            {
                var d = Vector512.Create(x.Slice(i)) - Vector512.Create(center.Slice(i));
                var v = Vector512.FusedMultiplyAdd(Vector512.Create(a.Slice(i)), Vector512.Create(g.Slice(i)),
                    Vector512.FusedMultiplyAdd(Vector512.Create(b.Slice(i)), d, Vector512.Create(k.Slice(i))));
                if (accumulate) v += Vector512.Create(dx.Slice(i));
                v.CopyTo(dx.Slice(i));
            }
        for (; i < g.Length; i++)
        {
            float v = MathF.FusedMultiplyAdd(a[i], g[i], MathF.FusedMultiplyAdd(b[i], x[i] - center[i], k[i]));
            dx[i] = accumulate ? dx[i] + v : v;
        }
    }
}
