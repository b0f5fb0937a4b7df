using Doppel.Tensors.Autograd;
using Doppel.Tensors.Kernels;

namespace Doppel.Tensors;

/// <summary>2-D convolution over NHWC images, lowered to GEMM (im2col, or shift-add for narrow outputs).</summary>
public static partial class Ops
{
    /// <summary>Upper bound on a convolution's scratch matrix (floats); batches are split to stay under it.</summary>
    internal static int MaxColFloats { get; set; } = 8 << 20;

    /// <summary>
    /// x (N, H, W, C), weight (O, KH, KW, C / groups), bias (O) or null, symmetric zero padding.
    /// Output (N, OH, OW, O) with OH = (H + 2*padding - KH) / stride + 1. With groups > 1 the C
    /// input and O output channels split into that many equal groups, output group g seeing only
    /// input group g (groups = C: depthwise); see <see cref="Conv2d(Tensor, Tensor, Tensor?, (int H, int W), (int H, int W), int)"/>.
    /// </summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int groups = 1) =>
        Conv2d(x, weight, bias, (stride, stride), (padding, padding), groups);

    /// <summary>
    /// Conv2d with per-axis stride and padding, (H, W): OH = (H + 2*padding.H - KH) / stride.H + 1,
    /// OW likewise. Kernels may be non-square (weight (O, KH, KW, C / groups)). As PyTorch's
    /// F.conv2d with its OIHW weight permuted (0, 2, 3, 1).
    /// </summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding, int groups = 1)
    {
        if (groups != 1) return GroupedConv2d(x, weight, bias, stride, padding, groups);
        var geo = ConvGeometry.Of("conv2d", x.Shape, weight.Shape, stride, padding);
        int n = x.Shape[0], outC = weight.Shape[0];
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outC)) throw new ShapeMismatchException("conv2d (bias)", weight.Shape, bias.Shape);
        var plan = ConvPlan.For(geo, outC, n);
        var precision = MatMulPrecision.Current; // kept for the backward pass
        var y = Tensor.Empty(n, geo.OH, geo.OW, outC);
        // Both lowerings accumulate into y, so it starts as the bias (or zero).
        FillWithBias(y.Data, bias, n * geo.PixelsOut, outC);
        if (precision == Precision.Bf16 && !plan.Shift) Bf16Conv.Forward(geo, n, plan.Chunk, x.Data, weight.Data, outC, y.Data);
        else Conv2dForward(precision, geo, plan, x, weight, y);

        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        string name = OpProfiler.Enabled ? $"conv2d {geo.KH}x{geo.KW}/{geo.SH} {geo.C}->{outC} @{geo.H}" : "conv2d";
        return OpRecorder.Record(y, name, inputs, g => Conv2dBackward(precision, geo, plan, x, weight, bias, g));
    }

    /// <summary>y += conv(x, weight), chunk by chunk, through im2col or shift-add (bf16 reaches here only for shift-add).</summary>
    private static void Conv2dForward(Precision precision, ConvGeometry geo, ConvPlan plan, Tensor x, Tensor weight, Tensor y)
    {
        int n = x.Shape[0], outC = weight.Shape[0];
        var scratch = BufferPool.Rent(plan.ScratchFloats);
        try
        {
            for (int first = 0; first < n; first += plan.Chunk)
            {
                int count = Math.Min(plan.Chunk, n - first);
                if (plan.Shift) ShiftConv.Forward(precision, geo, x.Data, weight.Data, outC, first, count, scratch, y.Data);
                else
                {
                    int rows = count * geo.PixelsOut;
                    geo.Im2Col(x.Data, first, count, scratch);
                    // Y[rows, O] += col[rows, K] x W[O, K]^T
                    Gemm.Run(precision, false, true, rows, outC, geo.K, 1f, scratch, geo.K, weight.Data, geo.K, 1f,
                        y.Data.AsSpan(first * geo.PixelsOut * outC), outC);
                }
            }
        }
        finally { BufferPool.Return(scratch); }
    }

    private static void Conv2dBackward(Precision precision, ConvGeometry geo, ConvPlan plan, Tensor x, Tensor weight, Tensor? bias, Tensor g)
    {
        int n = x.Shape[0], outC = weight.Shape[0], k = geo.K, pixels = geo.PixelsOut;
        float[]? dw = null, dx = null;
        bool accW = false;
        if (weight.RequiresGrad) dw = weight.GradBuffer(out accW);
        if (x.RequiresGrad)
        {
            dx = x.GradBuffer(out bool accX);
            if (!accX) Array.Clear(dx); // both lowerings add into dX
        }
        var scratch = BufferPool.Rent(plan.ScratchFloats);
        try
        {
            if (precision == Precision.Bf16 && !plan.Shift)
            {
                if (dw is not null || dx is not null) Bf16Conv.Backward(geo, n, plan.Chunk, x.Data, weight.Data, outC, g.Data, dx, dw, accW, scratch);
            }
            else for (int first = 0; first < n; first += plan.Chunk)
            {
                int count = Math.Min(plan.Chunk, n - first), rows = count * pixels;
                bool addW = accW || first > 0;
                if (plan.Shift)
                {
                    ShiftConv.Backward(precision, geo, x.Data, weight.Data, outC, g.Data, first, count, scratch, dx, dw, addW);
                    continue;
                }
                var gChunk = g.Data.AsSpan(first * pixels * outC, rows * outC);
                if (dw is not null)
                {
                    // dW[O, K] += G^T[O, rows] x col[rows, K]; the columns are rebuilt rather than kept
                    // from the forward pass, which would cost hundreds of MB per step.
                    geo.Im2Col(x.Data, first, count, scratch);
                    Gemm.Run(precision, true, false, outC, k, rows, 1f, gChunk, outC, scratch, k, addW ? 1f : 0f, dw, k);
                }
                if (dx is not null)
                {
                    // dcol[rows, K] = G[rows, O] x W[O, K], then scattered back onto the image.
                    Gemm.Run(precision, false, false, rows, k, outC, 1f, gChunk, outC, weight.Data, k, 0f, scratch, k);
                    geo.Col2Im(scratch, first, count, dx);
                }
            }
        }
        finally { BufferPool.Return(scratch); }
        if (bias is { RequiresGrad: true }) AccumulateBiasGrad(bias, g.Data, n * pixels, outC);
    }

    /// <summary>Sets each of the rows (of channels floats) of y to the bias, or to zero without one.</summary>
    internal static void FillWithBias(float[] y, Tensor? bias, int rows, int channels)
    {
        if (bias is null) Array.Clear(y, 0, rows * channels);
        else for (int r = 0; r < rows; r++) bias.Span.CopyTo(y.AsSpan(r * channels, channels));
    }

    /// <summary>Which lowering a convolution uses and how many images each scratch-sized chunk holds.</summary>
    private readonly record struct ConvPlan(bool Shift, int Chunk, int ScratchFloats)
    {
        public static ConvPlan For(ConvGeometry geo, int outC, int n)
        {
            bool shift = ShiftConv.Suits(geo, outC);
            long perImage = shift ? (long)geo.H * geo.W * outC * geo.KH * geo.KW : (long)geo.PixelsOut * geo.K;
            int chunk = (int)Math.Clamp(MaxColFloats / Math.Max(1, perImage), 1, Math.Max(1, n));
            return new ConvPlan(shift, chunk, (int)(chunk * perImage));
        }
    }
}
