using Doppel.Tensors.Autograd;
using Doppel.Tensors.Kernels;

namespace Doppel.Tensors;

/// <summary>2-D convolution over NHWC images by im2col + GEMM.</summary>
public static partial class Ops
{
    /// <summary>Upper bound on the im2col scratch matrix (floats); batches are split to stay under it.</summary>
    internal const int MaxColFloats = 8 << 20;

    /// <summary>
    /// x (N, H, W, C), weight (O, KH, KW, C), bias (O) or null, symmetric zero padding.
    /// Output (N, OH, OW, O) with OH = (H + 2*padding - KH) / stride + 1.
    /// </summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0)
    {
        var geo = ConvGeometry.Of("conv2d", x.Shape, weight.Shape, stride, padding);
        int n = x.Shape[0], outC = weight.Shape[0], k = geo.K, pixels = geo.PixelsOut;
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outC)) throw new ShapeMismatchException("conv2d (bias)", weight.Shape, bias.Shape);
        var y = Tensor.Empty(n, geo.OH, geo.OW, outC);
        int chunk = ImagesPerChunk(geo, n);
        var col = BufferPool.Rent(chunk * pixels * k);
        try
        {
            if (bias is not null)
                for (int r = 0; r < n * pixels; r++) bias.Span.CopyTo(y.Data.AsSpan(r * outC, outC));
            for (int first = 0; first < n; first += chunk)
            {
                int count = Math.Min(chunk, n - first), rows = count * pixels;
                geo.Im2Col(x.Data, first, count, col);
                // Y[rows, O] = col[rows, K] x W[O, K]^T
                Gemm.Run(false, true, rows, outC, k, 1f, col, k, weight.Data, k, bias is null ? 0f : 1f,
                    y.Data.AsSpan(first * pixels * outC), outC);
            }
        }
        finally { BufferPool.Return(col); }

        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return OpRecorder.Record(y, "conv2d", inputs, g => Conv2dBackward(geo, x, weight, bias, g));
    }

    private static void Conv2dBackward(ConvGeometry geo, Tensor x, Tensor weight, Tensor? bias, Tensor g)
    {
        int n = x.Shape[0], outC = weight.Shape[0], k = geo.K, pixels = geo.PixelsOut;
        int chunk = ImagesPerChunk(geo, n);
        var col = BufferPool.Rent(chunk * pixels * k);
        try
        {
            float[]? dw = null, dx = null;
            bool accW = false;
            if (weight.RequiresGrad) dw = weight.GradBuffer(out accW);
            if (x.RequiresGrad)
            {
                dx = x.GradBuffer(out bool accX);
                if (!accX) Array.Clear(dx);
            }
            for (int first = 0; first < n; first += chunk)
            {
                int count = Math.Min(chunk, n - first), rows = count * pixels;
                var gChunk = g.Data.AsSpan(first * pixels * outC, rows * outC);
                if (dw is not null)
                {
                    // dW[O, K] += G^T[O, rows] x col[rows, K]; the columns are rebuilt rather than kept
                    // from the forward pass, which would cost hundreds of MB per step.
                    geo.Im2Col(x.Data, first, count, col);
                    Gemm.Run(true, false, outC, k, rows, 1f, gChunk, outC, col, k, accW || first > 0 ? 1f : 0f, dw, k);
                }
                if (dx is not null)
                {
                    // dcol[rows, K] = G[rows, O] x W[O, K], then scattered back onto the image.
                    Gemm.Run(false, false, rows, k, outC, 1f, gChunk, outC, weight.Data, k, 0f, col, k);
                    geo.Col2Im(col, first, count, dx);
                }
            }
        }
        finally { BufferPool.Return(col); }
        if (bias is { RequiresGrad: true }) AccumulateBiasGrad(bias, g.Data, n * pixels, weight.Shape[0]);
    }

    private static int ImagesPerChunk(ConvGeometry geo, int n)
    {
        long perImage = (long)geo.PixelsOut * geo.K;
        return (int)Math.Clamp(MaxColFloats / Math.Max(1, perImage), 1, Math.Max(1, n));
    }
}
