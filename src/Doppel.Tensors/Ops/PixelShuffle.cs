using Doppel.Tensors.Autograd;

namespace Doppel.Tensors;

/// <summary>Sub-pixel upscaling: channels become a factor x factor block of pixels.</summary>
public static partial class Ops
{
    /// <summary>
    /// (N, H, W, C*r*r) -> (N, H*r, W*r, C) with PyTorch's channel order: input channel
    /// c*r*r + i*r + j lands at output pixel (h*r + i, w*r + j), channel c.
    /// </summary>
    public static Tensor PixelShuffle(Tensor x, int factor)
    {
        if (x.Rank != 4 || factor < 1 || x.Shape[3] % (factor * factor) != 0)
            throw new ShapeMismatchException("pixel_shuffle", x.Shape, [factor, factor], "channels must divide by factor^2");
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], cIn = x.Shape[3], r = factor, c = cIn / (r * r);
        var y = Tensor.Empty(n, h * r, w * r, c);
        Shuffle(x.Data, y.Data, n, h, w, c, r, toOutput: true, accumulate: false);
        return OpRecorder.Record(y, "pixel_shuffle", [x], g =>
        {
            var dx = x.GradBuffer(out bool acc);
            Shuffle(dx, g.Data, n, h, w, c, r, toOutput: false, accumulate: acc);
        });
    }

    // Walks every (n, h, w, i, j) block once and moves C floats between the layouts: the
    // shuffled side is contiguous, the channel-stacked side strided by r*r. The three loops
    // (gather, scatter, scatter-add) are kept apart so no branch sits in the innermost loop.
    private static unsafe void Shuffle(float[] inner, float[] outer, int n, int h, int w, int c, int r, bool toOutput, bool accumulate)
    {
        int cIn = c * r * r, wOut = w * r, rr = r * r;
        Kernels.Par.For(n * h, 16, (s, e) =>
        {
            fixed (float* pin = inner, pout = outer)
                for (int nh = s; nh < e; nh++)
                {
                    int b = nh / h, y0 = nh % h;
                    for (int x0 = 0; x0 < w; x0++)
                        for (int i = 0; i < r; i++)
                            for (int j = 0; j < r; j++)
                            {
                                float* stacked = pin + ((long)nh * w + x0) * cIn + i * r + j;
                                float* shuffled = pout + (((long)b * h * r + y0 * r + i) * wOut + x0 * r + j) * c;
                                if (toOutput) for (int ch = 0; ch < c; ch++) shuffled[ch] = stacked[ch * rr];
                                else if (accumulate) for (int ch = 0; ch < c; ch++) stacked[ch * rr] += shuffled[ch];
                                else for (int ch = 0; ch < c; ch++) stacked[ch * rr] = shuffled[ch];
                            }
                }
        });
    }
}
