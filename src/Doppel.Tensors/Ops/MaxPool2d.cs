using Doppel.Tensors.Autograd;
using Doppel.Tensors.Kernels;

namespace Doppel.Tensors;

/// <summary>Max pooling over NHWC images, with the gradient routed to each window's maximum.</summary>
public static partial class Ops
{
    /// <summary>
    /// (N, H, W, C) -> (N, OH, OW, C), OH = (H + 2 * padding - kernel) / stride + 1; stride
    /// defaults to the kernel. Padding never wins (it counts as -infinity) and may be at most half
    /// the kernel, as in PyTorch's F.max_pool2d (ceil_mode=False, dilation 1).
    /// </summary>
    public static Tensor MaxPool2d(Tensor x, int kernel, int stride = 0, int padding = 0) =>
        MaxPool2d(x, (kernel, kernel), stride <= 0 ? (kernel, kernel) : (stride, stride), (padding, padding));

    /// <summary>
    /// Max pooling with per-axis (H, W) kernel, stride and padding. Ties and NaN follow PyTorch:
    /// the first maximum in (ky, kx) order wins, and a NaN in the window is the result.
    /// </summary>
    public static Tensor MaxPool2d(Tensor x, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding)
    {
        const string op = "max_pool2d";
        if (x.Rank != 4) throw new ShapeMismatchException(op, x.Shape, [kernel.H, kernel.W], "input must be NHWC");
        if (kernel.H < 1 || kernel.W < 1 || stride.H < 1 || stride.W < 1 || padding.H < 0 || padding.W < 0)
            throw new ArgumentException($"{op}: kernel {kernel} and stride {stride} must be >= 1, padding {padding} >= 0");
        if (padding.H > kernel.H / 2 || padding.W > kernel.W / 2)
            throw new ArgumentException($"{op}: padding {padding} must be at most half the kernel {kernel}");
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3];
        if (h + 2 * padding.H < kernel.H || w + 2 * padding.W < kernel.W)
            throw new ShapeMismatchException(op, x.Shape, [kernel.H, kernel.W], "kernel larger than padded input");
        int oh = (h + 2 * padding.H - kernel.H) / stride.H + 1, ow = (w + 2 * padding.W - kernel.W) / stride.W + 1;

        var y = Tensor.Empty(n, oh, ow, c);
        // The argmax (flat index into x) of every output, only when a backward pass will need it.
        int[]? argmax = OpRecorder.NeedsGrad(x) ? GC.AllocateUninitializedArray<int>(y.Size) : null;
        float[] xd = x.Data, yd = y.Data;
        Par.For(n * oh, 4, (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                int b = r / oh, oy = r % oh;
                int y0 = Math.Max(oy * stride.H - padding.H, 0), y1 = Math.Min(oy * stride.H - padding.H + kernel.H, h);
                for (int ox = 0; ox < ow; ox++)
                {
                    int x0 = Math.Max(ox * stride.W - padding.W, 0), x1 = Math.Min(ox * stride.W - padding.W + kernel.W, w);
                    int dst = (r * ow + ox) * c, firstPixel = ((b * h + y0) * w + x0) * c;
                    for (int ch = 0; ch < c; ch++)
                    {
                        yd[dst + ch] = float.NegativeInfinity;
                        if (argmax is not null) argmax[dst + ch] = firstPixel + ch;
                    }
                    for (int iy = y0; iy < y1; iy++)
                        for (int ix = x0; ix < x1; ix++)
                        {
                            int src = ((b * h + iy) * w + ix) * c;
                            for (int ch = 0; ch < c; ch++)
                            {
                                float v = xd[src + ch];
                                if (v > yd[dst + ch] || float.IsNaN(v))
                                {
                                    yd[dst + ch] = v;
                                    if (argmax is not null) argmax[dst + ch] = src + ch;
                                }
                            }
                        }
                }
            }
        });
        return OpRecorder.Record(y, op, [x], g =>
        {
            var dx = x.GradBuffer(out bool acc);
            if (!acc) Array.Clear(dx);
            float[] gd = g.Data;
            int perImage = oh * ow * c;
            // Overlapping windows may share a maximum, so each image is scattered by one thread.
            Par.For(n, 1, (s, e) =>
            {
                for (int i = s * perImage; i < e * perImage; i++) dx[argmax![i]] += gd[i];
            });
        });
    }
}
