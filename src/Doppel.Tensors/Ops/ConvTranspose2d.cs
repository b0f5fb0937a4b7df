using Doppel.Tensors.Autograd;
using Doppel.Tensors.Kernels;

namespace Doppel.Tensors;

/// <summary>
/// Transposed 2-D convolution ("deconvolution") over NHWC images: the adjoint of the
/// convolution that maps the output's shape back to the input's, i.e. what
/// <see cref="Conv2d(Tensor, Tensor, Tensor?, int, int, int)"/>'s backward pass does to its
/// input gradient. It is lowered the same way: one GEMM to a column matrix, then col2im.
/// <para>
/// Weight layout (C_in, KH, KW, C_out), C_in being x's channels: the weight of that adjoint
/// convolution in Doppel's (O, KH, KW, C) layout. PyTorch stores a ConvTranspose2d weight as
/// (C_in, C_out, KH, KW); permute it by (0, 2, 3, 1) to get Doppel's, as for conv weights.
/// </para>
/// </summary>
public static partial class Ops
{
    /// <summary>
    /// x (N, H, W, C_in), weight (C_in, KH, KW, C_out), bias (C_out) or null -> (N, OH, OW, C_out)
    /// with OH = (H - 1) * stride - 2 * padding + KH + outputPadding (outputPadding &lt; stride
    /// picks one of the input sizes that a stride-s convolution maps to H), as PyTorch's F.conv_transpose2d.
    /// </summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int outputPadding = 0) =>
        ConvTranspose2d(x, weight, bias, (stride, stride), (padding, padding), (outputPadding, outputPadding));

    /// <summary>ConvTranspose2d with per-axis (H, W) stride, padding and output padding.</summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding, (int H, int W) outputPadding)
    {
        var geo = TransposedGeometry(x.Shape, weight.Shape, stride, padding, outputPadding);
        int n = x.Shape[0], inC = x.Shape[3], outC = geo.C, k = geo.K, pixelsIn = geo.PixelsOut;
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outC)) throw new ShapeMismatchException("conv_transpose2d (bias)", weight.Shape, bias.Shape);
        int chunk = (int)Math.Clamp(MaxColFloats / Math.Max(1L, (long)pixelsIn * k), 1, Math.Max(1, n));
        int scratchFloats = chunk * pixelsIn * k;

        var precision = MatMulPrecision.Current; // kept for the backward pass
        var y = Tensor.Empty(n, geo.H, geo.W, outC);
        FillWithBias(y.Data, bias, n * geo.H * geo.W, outC); // col2im adds onto it
        var col = BufferPool.Rent(scratchFloats);
        try
        {
            for (int first = 0; first < n; first += chunk)
            {
                int count = Math.Min(chunk, n - first), rows = count * pixelsIn;
                // col[rows, K] = X[rows, C_in] x W[C_in, K]: each input pixel's contribution to its KH x KW window.
                Gemm.Run(precision, false, false, rows, k, inC, 1f, x.Data.AsSpan(first * pixelsIn * inC, rows * inC), inC, weight.Data, k, 0f, col, k);
                geo.Col2Im(col, first, count, y.Data);
            }
        }
        finally { BufferPool.Return(col); }

        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        string name = OpProfiler.Enabled ? $"conv_transpose2d {geo.KH}x{geo.KW}/{geo.SH} {inC}->{outC} @{geo.OH}" : "conv_transpose2d";
        return OpRecorder.Record(y, name, inputs, g =>
        {
            float[]? dw = null, dx = null;
            bool accW = false, accX = false;
            if (weight.RequiresGrad) dw = weight.GradBuffer(out accW);
            if (x.RequiresGrad) dx = x.GradBuffer(out accX);
            if (dx is not null || dw is not null)
            {
                var gcol = BufferPool.Rent(scratchFloats);
                try
                {
                    for (int first = 0; first < n; first += chunk)
                    {
                        int count = Math.Min(chunk, n - first), rows = count * pixelsIn;
                        // The gradient is the forward convolution of dY: its column matrix serves both products.
                        geo.Im2Col(g.Data, first, count, gcol);
                        var xChunk = x.Data.AsSpan(first * pixelsIn * inC, rows * inC);
                        if (dx is not null) // dX[rows, C_in] (+)= col[rows, K] x W[C_in, K]^T
                            Gemm.Run(precision, false, true, rows, inC, k, 1f, gcol, k, weight.Data, k, accX ? 1f : 0f, dx.AsSpan(first * pixelsIn * inC, rows * inC), inC);
                        if (dw is not null) // dW[C_in, K] (+)= X^T[C_in, rows] x col[rows, K]
                            Gemm.Run(precision, true, false, inC, k, rows, 1f, xChunk, inC, gcol, k, accW || first > 0 ? 1f : 0f, dw, k);
                    }
                }
                finally { BufferPool.Return(gcol); }
            }
            if (bias is { RequiresGrad: true }) AccumulateBiasGrad(bias, g.Data, n * geo.H * geo.W, outC);
        });
    }

    /// <summary>
    /// The geometry of the convolution that the transposed one is the adjoint of: its image is
    /// the transposed output (OH, OW, C_out), its output grid the transposed input (H, W).
    /// </summary>
    private static ConvGeometry TransposedGeometry(int[] x, int[] w, (int H, int W) stride, (int H, int W) pad, (int H, int W) outPad)
    {
        const string op = "conv_transpose2d";
        if (x.Length != 4 || w.Length != 4 || x[3] != w[0]) throw new ShapeMismatchException(op, x, w, "input NHWC and weight (C_in, KH, KW, C_out) must agree on C_in");
        if (stride.H < 1 || stride.W < 1 || pad.H < 0 || pad.W < 0 || outPad.H < 0 || outPad.W < 0)
            throw new ArgumentException($"{op}: stride {stride} must be >= 1, padding {pad} and output padding {outPad} >= 0");
        if (outPad.H >= stride.H || outPad.W >= stride.W)
            throw new ArgumentException($"{op}: output padding {outPad} must be smaller than the stride {stride}");
        int oh = (x[1] - 1) * stride.H - 2 * pad.H + w[1] + outPad.H, ow = (x[2] - 1) * stride.W - 2 * pad.W + w[2] + outPad.W;
        if (x[1] < 1 || x[2] < 1 || oh < 1 || ow < 1) throw new ShapeMismatchException(op, x, w, $"output would be {oh}x{ow}: padding too large");
        return new ConvGeometry(oh, ow, w[3], w[1], w[2], stride.H, stride.W, pad.H, pad.W, x[1], x[2]);
    }
}
