using Doppel.Tensors.Autograd;

namespace Doppel.Tensors;

/// <summary>Per-channel Gaussian filtering with "valid" borders, the local-statistics step of SSIM.</summary>
public static partial class Ops
{
    /// <summary>The normalised 1-D Gaussian of the given odd size and sigma.</summary>
    public static float[] GaussianKernel(int size, float sigma)
    {
        var k = new float[size];
        double sum = 0;
        for (int i = 0; i < size; i++)
        {
            double d = i - (size - 1) / 2.0;
            k[i] = (float)Math.Exp(-d * d / (2.0 * sigma * sigma));
            sum += k[i];
        }
        for (int i = 0; i < size; i++) k[i] = (float)(k[i] / sum);
        return k;
    }

    /// <summary>
    /// (N, H, W, C) -> (N, H-size+1, W-size+1, C): each channel filtered by the separable 2-D
    /// Gaussian (weights g[ky] * g[kx]), no padding. Computed as a row pass then a column pass.
    /// </summary>
    public static Tensor GaussianBlur(Tensor x, int size = 11, float sigma = 1.5f)
    {
        if (x.Rank != 4 || size < 1 || size > x.Shape[1] || size > x.Shape[2])
            throw new ShapeMismatchException("gaussian_blur", x.Shape, [size, size], "window larger than the image");
        var k = GaussianKernel(size, sigma);
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3], oh = h - size + 1, ow = w - size + 1;
        var y = Tensor.Empty(n, oh, ow, c);
        var tmp = BufferPool.Rent(n * h * ow * c);
        try
        {
            Separable(x.Data, tmp, y.Data, k, n, h, w, c, oh, ow);
        }
        finally { BufferPool.Return(tmp); }
        return OpRecorder.Record(y, "gaussian_blur", [x], g =>
        {
            var dx = x.GradBuffer(out bool acc);
            if (!acc) Array.Clear(dx);
            // The adjoint of a valid correlation is a full correlation with the same symmetric
            // kernel: scatter each output's gradient over its window, column pass then row pass.
            var t = BufferPool.RentZeroed(n * h * ow * c);
            try
            {
                Kernels.Par.For(n, 1, (s, e) =>
                {
                    for (int b = s; b < e; b++)
                        for (int oy = 0; oy < oh; oy++)
                            for (int ky = 0; ky < size; ky++)
                            {
                                var src = g.Data.AsSpan((b * oh + oy) * ow * c, ow * c);
                                var dst = t.AsSpan((b * h + oy + ky) * ow * c, ow * c);
                                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(src, k[ky], dst, dst);
                            }
                    // Row scatter: shifting by kx pixels is shifting by kx*C floats, so each
                    // kernel tap is one long multiply-add over the whole row.
                    for (int b = s; b < e; b++)
                        for (int iy = 0; iy < h; iy++)
                        {
                            var src = t.AsSpan((b * h + iy) * ow * c, ow * c);
                            for (int kx = 0; kx < size; kx++)
                            {
                                var dst = dx.AsSpan(((b * h + iy) * w + kx) * c, ow * c);
                                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(src, k[kx], dst, dst);
                            }
                        }
                });
            }
            finally { BufferPool.Return(t); }
        });
    }

    private static void Separable(float[] x, float[] tmp, float[] y, float[] k, int n, int h, int w, int c, int oh, int ow)
    {
        int size = k.Length;
        Kernels.Par.For(n, 1, (s, e) =>
        {
            for (int b = s; b < e; b++)
            {
                // Row pass: tmp[b, iy, ox, :] = sum_kx k[kx] x[b, iy, ox + kx, :]; a shift of kx
                // pixels is a shift of kx*C floats, so each tap is one multiply-add over the row.
                for (int iy = 0; iy < h; iy++)
                {
                    var dst = tmp.AsSpan((b * h + iy) * ow * c, ow * c);
                    dst.Clear();
                    for (int kx = 0; kx < size; kx++)
                        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(x.AsSpan(((b * h + iy) * w + kx) * c, ow * c), k[kx], dst, dst);
                }
                // Column pass: y[b, oy, :, :] = sum_ky k[ky] tmp[b, oy + ky, :, :]
                for (int oy = 0; oy < oh; oy++)
                {
                    var dst = y.AsSpan((b * oh + oy) * ow * c, ow * c);
                    dst.Clear();
                    for (int ky = 0; ky < size; ky++)
                        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(tmp.AsSpan((b * h + oy + ky) * ow * c, ow * c), k[ky], dst, dst);
                }
            }
        });
    }
}
