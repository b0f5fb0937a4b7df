using System.Numerics.Tensors;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// Depthwise convolution (groups = C = O: channel c is filtered by its own KH x KW kernel) as a
/// direct loop. As GEMMs it would be C products of inner dimension KH*KW, far too thin to pay;
/// in NHWC a pixel's C channels are contiguous, so each kernel tap is one vector multiply-add
/// over the channels: y[p, :] += x[q, :] * wT[tap, :], with the weight (C, KH, KW, 1)
/// transposed once to wT (KH*KW, C). <c>g</c> is the per-group geometry (its C is 1).
/// </summary>
internal static class DepthwiseConv
{
    /// <summary>The weight (C, KH*KW) as (KH*KW, C), so a tap's C factors are contiguous.</summary>
    public static float[] TransposeWeight(float[] w, int channels, int taps)
    {
        var wt = BufferPool.Rent(channels * taps);
        for (int c = 0; c < channels; c++)
            for (int t = 0; t < taps; t++) wt[t * channels + c] = w[c * taps + t];
        return wt;
    }

    /// <summary>y (N, OH, OW, C) += depthwise conv(x, w); y holds the bias already.</summary>
    public static void Forward(ConvGeometry g, int n, int channels, float[] x, float[] w, float[] y)
    {
        var wt = TransposeWeight(w, channels, g.KH * g.KW);
        try
        {
            Par.For(n * g.OH, 4, (s, e) =>
            {
                for (int r = s; r < e; r++)
                {
                    int b = r / g.OH, oy = r % g.OH;
                    for (int ox = 0; ox < g.OW; ox++)
                    {
                        var dst = y.AsSpan((r * g.OW + ox) * channels, channels);
                        for (int ky = 0; ky < g.KH; ky++)
                        {
                            int iy = oy * g.SH - g.PH + ky;
                            if ((uint)iy >= (uint)g.H) continue;
                            for (int kx = 0; kx < g.KW; kx++)
                            {
                                int ix = ox * g.SW - g.PW + kx;
                                if ((uint)ix >= (uint)g.W) continue;
                                var src = x.AsSpan(((b * g.H + iy) * g.W + ix) * channels, channels);
                                TensorPrimitives.MultiplyAdd(src, wt.AsSpan((ky * g.KW + kx) * channels, channels), dst, dst);
                            }
                        }
                    }
                }
            });
        }
        finally { BufferPool.Return(wt); }
    }

    /// <summary>
    /// dx += the input gradient (dx zeroed or holding an earlier gradient), and dw (C, KH, KW, 1)
    /// set (or, with accumulateW, added to) the weight gradient. Pass null for gradients not needed.
    /// </summary>
    public static void Backward(ConvGeometry g, int n, int channels, float[] x, float[] w, float[] gy, float[]? dx, float[]? dw, bool accumulateW)
    {
        int taps = g.KH * g.KW;
        var wt = TransposeWeight(w, channels, taps);
        var partials = new List<(int Start, float[] Sum)>();
        try
        {
            // Split by image: input pixels of one image collect from several outputs (dx), and
            // each part sums its own weight gradient; the parts are added in image order after,
            // so the result does not depend on which thread finished first.
            Par.For(n, 1, (s, e) =>
            {
                var local = dw is null ? null : BufferPool.RentZeroed(taps * channels);
                for (int b = s; b < e; b++)
                    for (int oy = 0; oy < g.OH; oy++)
                        for (int ox = 0; ox < g.OW; ox++)
                        {
                            var go = gy.AsSpan(((b * g.OH + oy) * g.OW + ox) * channels, channels);
                            for (int ky = 0; ky < g.KH; ky++)
                            {
                                int iy = oy * g.SH - g.PH + ky;
                                if ((uint)iy >= (uint)g.H) continue;
                                for (int kx = 0; kx < g.KW; kx++)
                                {
                                    int ix = ox * g.SW - g.PW + kx, tap = ky * g.KW + kx;
                                    if ((uint)ix >= (uint)g.W) continue;
                                    int q = ((b * g.H + iy) * g.W + ix) * channels;
                                    if (dx is not null)
                                    {
                                        var to = dx.AsSpan(q, channels);
                                        TensorPrimitives.MultiplyAdd(go, wt.AsSpan(tap * channels, channels), to, to);
                                    }
                                    if (local is not null)
                                    {
                                        var acc = local.AsSpan(tap * channels, channels);
                                        TensorPrimitives.MultiplyAdd(go, x.AsSpan(q, channels), acc, acc);
                                    }
                                }
                            }
                        }
                if (local is not null) lock (partials) partials.Add((s, local));
            });
            if (dw is null) return;
            partials.Sort((a, b) => a.Start.CompareTo(b.Start));
            var total = partials[0].Sum;
            for (int i = 1; i < partials.Count; i++) TensorPrimitives.Add(total, partials[i].Sum, total);
            for (int c = 0; c < channels; c++)
                for (int t = 0; t < taps; t++)
                {
                    float v = total[t * channels + c];
                    dw[c * taps + t] = accumulateW ? dw[c * taps + t] + v : v;
                }
        }
        finally
        {
            BufferPool.Return(wt);
            foreach (var (_, sum) in partials) BufferPool.Return(sum);
        }
    }
}
