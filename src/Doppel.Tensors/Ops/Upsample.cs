using Doppel.Tensors.Autograd;
using Doppel.Tensors.Kernels;

namespace Doppel.Tensors;

/// <summary>How <see cref="Ops.Upsample(Tensor, int, UpsampleMode)"/> fills the new pixels.</summary>
public enum UpsampleMode
{
    /// <summary>Each input pixel becomes a scale x scale block (PyTorch mode="nearest").</summary>
    Nearest,

    /// <summary>Bilinear with align_corners=False: pixel centres at (i + 0.5) / scale - 0.5, edges clamped (PyTorch mode="bilinear").</summary>
    Bilinear,
}

/// <summary>Upsampling of NHWC images by integer factors, as PyTorch's F.interpolate(scale_factor=...).</summary>
public static partial class Ops
{
    /// <summary>(N, H, W, C) -> (N, H * scale, W * scale, C).</summary>
    public static Tensor Upsample(Tensor x, int scale, UpsampleMode mode = UpsampleMode.Nearest) => Upsample(x, (scale, scale), mode);

    /// <summary>(N, H, W, C) -> (N, H * scale.H, W * scale.W, C).</summary>
    public static Tensor Upsample(Tensor x, (int H, int W) scale, UpsampleMode mode = UpsampleMode.Nearest)
    {
        if (x.Rank != 4 || scale.H < 1 || scale.W < 1)
            throw new ShapeMismatchException("upsample", x.Shape, [scale.H, scale.W], "input NHWC and integer scale factors >= 1");
        return mode switch
        {
            UpsampleMode.Nearest => UpsampleNearest(x, scale.H, scale.W),
            UpsampleMode.Bilinear => UpsampleBilinear(x, scale.H, scale.W),
            _ => throw new ArgumentException($"upsample: unknown mode {mode}"),
        };
    }

    private static Tensor UpsampleNearest(Tensor x, int fh, int fw)
    {
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3], oh = h * fh, ow = w * fw, rowLen = ow * c;
        var y = Tensor.Empty(n, oh, ow, c);
        float[] xd = x.Data, yd = y.Data;
        // One widened row per input row, then copied to the fh output rows it covers.
        Par.For(n * h, 8, (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                var first = yd.AsSpan(r * fh * rowLen, rowLen);
                for (int ix = 0; ix < w; ix++)
                {
                    var src = xd.AsSpan((r * w + ix) * c, c);
                    for (int j = 0; j < fw; j++) src.CopyTo(first.Slice((ix * fw + j) * c, c));
                }
                for (int i = 1; i < fh; i++) first.CopyTo(yd.AsSpan((r * fh + i) * rowLen, rowLen));
            }
        });
        return OpRecorder.Record(y, "upsample_nearest", [x], g =>
        {
            var dx = x.GradBuffer(out bool acc);
            float[] gd = g.Data;
            // Each input pixel sums its own fh x fw block: a gather, so rows split freely.
            Par.For(n * h, 8, (s, e) =>
            {
                for (int r = s; r < e; r++)
                    for (int ix = 0; ix < w; ix++)
                    {
                        var to = dx.AsSpan((r * w + ix) * c, c);
                        if (!acc) to.Clear();
                        for (int i = 0; i < fh; i++)
                            for (int j = 0; j < fw; j++)
                            {
                                var from = gd.AsSpan(((r * fh + i) * ow + ix * fw + j) * c, c);
                                System.Numerics.Tensors.TensorPrimitives.Add(to, from, to);
                            }
                    }
            });
        });
    }

    /// <summary>
    /// The two source indices and weights of each output coordinate along one axis, as PyTorch
    /// computes them in float: src = (1/scale) * (o + 0.5) - 0.5, clamped at 0; i0 = floor(src),
    /// i1 = i0 + 1 (or i0 at the last pixel), weights 1 - (src - i0) and src - i0.
    /// </summary>
    private static (int[] I0, int[] I1, float[] L0, float[] L1) BilinearTaps(int inSize, int factor)
    {
        int outSize = inSize * factor;
        var (i0, i1, l0, l1) = (new int[outSize], new int[outSize], new float[outSize], new float[outSize]);
        float step = (float)(1.0 / factor);
        for (int o = 0; o < outSize; o++)
        {
            float src = Math.Max(step * (o + 0.5f) - 0.5f, 0f);
            int lo = (int)src;
            i0[o] = lo;
            i1[o] = lo < inSize - 1 ? lo + 1 : lo;
            l1[o] = src - lo;
            l0[o] = 1f - l1[o];
        }
        return (i0, i1, l0, l1);
    }

    private static Tensor UpsampleBilinear(Tensor x, int fh, int fw)
    {
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3], oh = h * fh, ow = w * fw;
        var rows = BilinearTaps(h, fh);
        var cols = BilinearTaps(w, fw);
        var y = Tensor.Empty(n, oh, ow, c);
        float[] xd = x.Data, yd = y.Data;
        Par.For(n * oh, 8, (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                int b = r / oh, oy = r % oh;
                int top = (b * h + rows.I0[oy]) * w, bottom = (b * h + rows.I1[oy]) * w;
                float ly0 = rows.L0[oy], ly1 = rows.L1[oy];
                for (int ox = 0; ox < ow; ox++)
                {
                    int a0 = (top + cols.I0[ox]) * c, a1 = (top + cols.I1[ox]) * c;
                    int b0 = (bottom + cols.I0[ox]) * c, b1 = (bottom + cols.I1[ox]) * c;
                    float lx0 = cols.L0[ox], lx1 = cols.L1[ox];
                    int dst = (r * ow + ox) * c;
                    for (int ch = 0; ch < c; ch++)
                        yd[dst + ch] = ly0 * (lx0 * xd[a0 + ch] + lx1 * xd[a1 + ch]) + ly1 * (lx0 * xd[b0 + ch] + lx1 * xd[b1 + ch]);
                }
            }
        });
        return OpRecorder.Record(y, "upsample_bilinear", [x], g =>
        {
            var dx = x.GradBuffer(out bool acc);
            if (!acc) Array.Clear(dx);
            float[] gd = g.Data;
            // Neighbouring outputs share source pixels: scatter image by image.
            Par.For(n, 1, (s, e) =>
            {
                for (int b = s; b < e; b++)
                    for (int oy = 0; oy < oh; oy++)
                    {
                        int top = (b * h + rows.I0[oy]) * w, bottom = (b * h + rows.I1[oy]) * w;
                        float ly0 = rows.L0[oy], ly1 = rows.L1[oy];
                        for (int ox = 0; ox < ow; ox++)
                        {
                            int a0 = (top + cols.I0[ox]) * c, a1 = (top + cols.I1[ox]) * c;
                            int b0 = (bottom + cols.I0[ox]) * c, b1 = (bottom + cols.I1[ox]) * c;
                            float w00 = ly0 * cols.L0[ox], w01 = ly0 * cols.L1[ox], w10 = ly1 * cols.L0[ox], w11 = ly1 * cols.L1[ox];
                            int src = ((b * oh + oy) * ow + ox) * c;
                            for (int ch = 0; ch < c; ch++)
                            {
                                float v = gd[src + ch];
                                dx[a0 + ch] += w00 * v;
                                dx[a1 + ch] += w01 * v;
                                dx[b0 + ch] += w10 * v;
                                dx[b1 + ch] += w11 * v;
                            }
                        }
                    }
            });
        });
    }
}
