using System.Numerics.Tensors;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// Grouped convolution as one GEMM per group. The geometry <c>g</c> is that of one group: its
/// C is the group's Cg = C / groups input channels, so its K = KH*KW*Cg. Group j's column
/// matrix gathers channels [j*Cg, (j+1)*Cg) of every patch (in (ky, kx, c) order, matching the
/// weight (O, KH, KW, Cg)); its Og = O / groups weight rows are a contiguous block of the
/// weight, and its outputs a column block of y (leading dimension O), so no repacking is needed.
/// The groups = 1 convolution keeps its own im2col in <see cref="ConvGeometry"/>, whose patch
/// rows are single contiguous copies; here they are KW copies of Cg floats.
/// </summary>
internal static class GroupedConv
{
    /// <summary>Images per scratch chunk and the scratch size (floats) for one group's column matrix.</summary>
    public static (int Chunk, int ScratchFloats) Plan(ConvGeometry g, int n, int maxFloats)
    {
        long perImage = (long)g.PixelsOut * g.K;
        int chunk = (int)Math.Clamp(maxFloats / Math.Max(1, perImage), 1, Math.Max(1, n));
        return (chunk, (int)(chunk * perImage));
    }

    /// <summary>y (N, OH, OW, O) += grouped conv(x, w) for images [first, first + count); y holds the bias already.</summary>
    public static void Forward(Precision precision, ConvGeometry g, int groups, float[] x, float[] w, int outC, int first, int count, float[] col, float[] y)
    {
        int og = outC / groups, k = g.K, rows = count * g.PixelsOut;
        for (int j = 0; j < groups; j++)
        {
            Im2Col(g, groups, j, x, first, count, col);
            // Y[rows, j*Og .. +Og] += col[rows, K] x W_j[Og, K]^T
            Gemm.Run(precision, false, true, rows, og, k, 1f, col, k, w.AsSpan(j * og * k, og * k), k, 1f,
                y.AsSpan(first * g.PixelsOut * outC + j * og), outC);
        }
    }

    /// <summary>
    /// Gradients for images [first, first + count): dW_j (+)= G_j^T col_j, dX_j += col2im(G_j W_j).
    /// dx must hold zeros or an earlier gradient (it is added to). Pass null for gradients not needed.
    /// </summary>
    public static void Backward(Precision precision, ConvGeometry g, int groups, float[] x, float[] w, int outC, float[] gy, int first, int count,
        float[] col, float[]? dx, float[]? dw, bool accumulateW)
    {
        int og = outC / groups, k = g.K, rows = count * g.PixelsOut;
        var gChunk = gy.AsSpan(first * g.PixelsOut * outC);
        for (int j = 0; j < groups; j++)
        {
            var gGroup = gChunk.Slice(j * og);
            if (dw is not null)
            {
                // dW_j[Og, K] (+)= G_j^T[Og, rows] x col_j[rows, K]
                Im2Col(g, groups, j, x, first, count, col);
                Gemm.Run(precision, true, false, og, k, rows, 1f, gGroup, outC, col, k, accumulateW ? 1f : 0f, dw.AsSpan(j * og * k, og * k), k);
            }
            if (dx is not null)
            {
                // dcol[rows, K] = G_j[rows, Og] x W_j[Og, K], scattered back onto channel group j.
                Gemm.Run(precision, false, false, rows, k, og, 1f, gGroup, outC, w.AsSpan(j * og * k, og * k), k, 0f, col, k);
                Col2Im(g, groups, j, col, first, count, dx);
            }
        }
    }

    /// <summary>Fills col (count*OH*OW rows of K) with channel group j of images [first, first + count) of x.</summary>
    public static void Im2Col(ConvGeometry g, int groups, int j, float[] x, int first, int count, float[] col)
    {
        int cTotal = g.C * groups, cOff = j * g.C;
        Par.For(count * g.OH, 8, (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                int n = first + r / g.OH, oy = r % g.OH;
                long dst = (long)r * g.OW * g.K;
                for (int ox = 0; ox < g.OW; ox++)
                    for (int ky = 0; ky < g.KH; ky++)
                    {
                        int iy = oy * g.SH - g.PH + ky;
                        for (int kx = 0; kx < g.KW; kx++, dst += g.C)
                        {
                            int ix = ox * g.SW - g.PW + kx;
                            var piece = col.AsSpan((int)dst, g.C);
                            if ((uint)iy >= (uint)g.H || (uint)ix >= (uint)g.W) piece.Clear();
                            else x.AsSpan((int)((((long)n * g.H + iy) * g.W + ix) * cTotal + cOff), g.C).CopyTo(piece);
                        }
                    }
            }
        });
    }

    /// <summary>Adds col (count*OH*OW rows of K) back into channel group j of images [first, first + count) of dx.</summary>
    public static void Col2Im(ConvGeometry g, int groups, int j, float[] col, int first, int count, float[] dx)
    {
        int cTotal = g.C * groups, cOff = j * g.C;
        // Overlapping kernels make output rows of one image collide in dx, so split by image.
        Par.For(count, 1, (s, e) =>
        {
            for (int i = s; i < e; i++)
            {
                long src = (long)i * g.PixelsOut * g.K;
                for (int oy = 0; oy < g.OH; oy++)
                    for (int ox = 0; ox < g.OW; ox++)
                        for (int ky = 0; ky < g.KH; ky++)
                        {
                            int iy = oy * g.SH - g.PH + ky;
                            for (int kx = 0; kx < g.KW; kx++, src += g.C)
                            {
                                int ix = ox * g.SW - g.PW + kx;
                                if ((uint)iy >= (uint)g.H || (uint)ix >= (uint)g.W) continue;
                                var to = dx.AsSpan((int)((((long)(first + i) * g.H + iy) * g.W + ix) * cTotal + cOff), g.C);
                                TensorPrimitives.Add(to, col.AsSpan((int)src, g.C), to);
                            }
                        }
            }
        });
    }
}
