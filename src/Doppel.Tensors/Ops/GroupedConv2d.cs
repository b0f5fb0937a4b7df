using Doppel.Tensors.Autograd;
using Doppel.Tensors.Kernels;

namespace Doppel.Tensors;

/// <summary>
/// Grouped and depthwise 2-D convolution (the groups &gt; 1 half of <see cref="Ops.Conv2d(Tensor, Tensor, Tensor?, (int H, int W), (int H, int W), int)"/>).
/// Kept apart from the groups = 1 path so that path's lowerings stay exactly as they were.
/// </summary>
public static partial class Ops
{
    /// <summary>x (N, H, W, C), weight (O, KH, KW, C / groups), bias (O) or null -> (N, OH, OW, O).</summary>
    private static Tensor GroupedConv2d(Tensor x, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding, int groups)
    {
        if (x.Rank != 4 || weight.Rank != 4) throw new ShapeMismatchException("conv2d", x.Shape, weight.Shape, "input NHWC and weight (O, KH, KW, C / groups)");
        int n = x.Shape[0], c = x.Shape[3], outC = weight.Shape[0];
        if (groups < 1 || c % groups != 0 || outC % groups != 0 || weight.Shape[3] * groups != c)
            throw new ShapeMismatchException("conv2d", x.Shape, weight.Shape, $"groups {groups} must divide C and O, and the weight hold C / groups channels");
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outC)) throw new ShapeMismatchException("conv2d (bias)", weight.Shape, bias.Shape);
        var geo = ConvGeometry.OfPatch("conv2d", x.Shape, weight.Shape, stride, padding); // geo.C = C / groups
        bool depthwise = geo.C == 1 && outC == c;
        var plan = GroupedConv.Plan(geo, n, MaxColFloats);
        var precision = MatMulPrecision.Current; // kept for the backward pass (depthwise convolutions have no GEMM)

        var y = Tensor.Empty(n, geo.OH, geo.OW, outC);
        FillWithBias(y.Data, bias, n * geo.PixelsOut, outC);
        if (depthwise) DepthwiseConv.Forward(geo, n, c, x.Data, weight.Data, y.Data);
        else
        {
            var col = BufferPool.Rent(plan.ScratchFloats);
            try
            {
                for (int first = 0; first < n; first += plan.Chunk)
                    GroupedConv.Forward(precision, geo, groups, x.Data, weight.Data, outC, first, Math.Min(plan.Chunk, n - first), col, y.Data);
            }
            finally { BufferPool.Return(col); }
        }

        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        string name = !OpProfiler.Enabled ? "conv2d_grouped"
            : $"conv2d {(depthwise ? "depthwise" : $"groups {groups}")} {geo.KH}x{geo.KW}/{geo.SH} {c}->{outC} @{geo.H}";
        return OpRecorder.Record(y, name, inputs, g =>
        {
            float[]? dw = null, dx = null;
            bool accW = false;
            if (weight.RequiresGrad) dw = weight.GradBuffer(out accW);
            if (x.RequiresGrad)
            {
                dx = x.GradBuffer(out bool accX);
                if (!accX) Array.Clear(dx); // both lowerings add into dX
            }
            if (depthwise && (dx is not null || dw is not null)) DepthwiseConv.Backward(geo, n, c, x.Data, weight.Data, g.Data, dx, dw, accW);
            else if (dx is not null || dw is not null)
            {
                var col = BufferPool.Rent(plan.ScratchFloats);
                try
                {
                    for (int first = 0; first < n; first += plan.Chunk)
                        GroupedConv.Backward(precision, geo, groups, x.Data, weight.Data, outC, g.Data, first, Math.Min(plan.Chunk, n - first),
                            col, dx, dw, accW || first > 0);
                }
                finally { BufferPool.Return(col); }
            }
            if (bias is { RequiresGrad: true }) AccumulateBiasGrad(bias, g.Data, n * geo.PixelsOut, outC);
        });
    }
}
