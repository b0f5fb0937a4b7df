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

    // Walks every (n, h, w, i, j) block once; copies C floats between the shuffled layouts.
    private static void Shuffle(float[] inner, float[] outer, int n, int h, int w, int c, int r, bool toOutput, bool accumulate)
    {
        int cIn = c * r * r, wOut = w * r;
        Kernels.Par.For(n * h, 16, (s, e) =>
        {
            var tmp = toOutput ? null : new float[c];
            for (int nh = s; nh < e; nh++)
            {
                int b = nh / h, y0 = nh % h;
                for (int x0 = 0; x0 < w; x0++)
                {
                    long inBase = ((long)nh * w + x0) * cIn;
                    for (int i = 0; i < r; i++)
                        for (int j = 0; j < r; j++)
                        {
                            long outBase = (((long)b * h * r + y0 * r + i) * wOut + x0 * r + j) * c;
                            for (int ch = 0; ch < c; ch++)
                            {
                                long inIdx = inBase + ch * r * r + i * r + j;
                                if (toOutput) outer[outBase + ch] = inner[inIdx];
                                else if (accumulate) inner[inIdx] += outer[outBase + ch];
                                else inner[inIdx] = outer[outBase + ch];
                            }
                        }
                }
            }
        });
    }
}
