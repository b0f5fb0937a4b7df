using Doppel.Tensors.Autograd;

namespace Doppel.Tensors;

/// <summary>Average pooling over NHWC images (no padding).</summary>
public static partial class Ops
{
    /// <summary>(N, H, W, C) -> (N, OH, OW, C), OH = (H - kernel) / stride + 1; stride defaults to kernel.</summary>
    public static Tensor AvgPool2d(Tensor x, int kernel, int stride = 0)
    {
        if (stride <= 0) stride = kernel;
        if (x.Rank != 4 || kernel < 1 || kernel > x.Shape[1] || kernel > x.Shape[2])
            throw new ShapeMismatchException("avg_pool2d", x.Shape, [kernel, kernel]);
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3];
        int oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1;
        float scale = 1f / (kernel * kernel);
        var y = Tensor.Zeros(n, oh, ow, c);
        float[] xd = x.Data, yd = y.Data;
        Kernels.Par.For(n * oh, 8, (s, e) =>
        {
            for (int row = s; row < e; row++)
            {
                int b = row / oh, oy = row % oh;
                for (int ox = 0; ox < ow; ox++)
                {
                    var dst = yd.AsSpan((row * ow + ox) * c, c);
                    for (int ky = 0; ky < kernel; ky++)
                        for (int kx = 0; kx < kernel; kx++)
                            System.Numerics.Tensors.TensorPrimitives.Add(dst, xd.AsSpan((((b * h) + oy * stride + ky) * w + ox * stride + kx) * c, c), dst);
                    System.Numerics.Tensors.TensorPrimitives.Multiply(dst, scale, dst);
                }
            }
        });
        return OpRecorder.Record(y, "avg_pool2d", [x], g =>
        {
            var dx = x.GradBuffer(out bool acc);
            if (!acc) Array.Clear(dx);
            float[] gd = g.Data;
            // Images are independent, so splitting by image keeps overlapping windows race-free.
            Kernels.Par.For(n, 1, (s, e) =>
            {
                for (int b = s; b < e; b++)
                    for (int oy = 0; oy < oh; oy++)
                        for (int ox = 0; ox < ow; ox++)
                        {
                            var src = gd.AsSpan(((b * oh + oy) * ow + ox) * c, c);
                            for (int ky = 0; ky < kernel; ky++)
                                for (int kx = 0; kx < kernel; kx++)
                                {
                                    var dst = dx.AsSpan((((b * h) + oy * stride + ky) * w + ox * stride + kx) * c, c);
                                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(src, scale, dst, dst);
                                }
                        }
            });
        });
    }
}
