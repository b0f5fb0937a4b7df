using System.Numerics.Tensors;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// Stride-1 convolution as "GEMM, then shift and add" (kn2row): every input pixel is multiplied
/// by all O x KH x KW filter taps at once, Z = X (pixels, C) x W^T (C, O*KH*KW), and each output
/// pixel then sums the KH x KW entries of Z that its window covers. When O is smaller than C
/// (a to-RGB layer: 64 -> 3 channels), Z is far smaller than the im2col matrix (O*KH*KW vs
/// C*KH*KW floats per pixel) and the GEMM is better shaped, so this path is used there.
/// Z's columns are in the weight's own (o, ky, kx) order, so W needs no repacking.
/// </summary>
internal static class ShiftConv
{
    /// <summary>Off only in tests that compare this lowering with im2col.</summary>
    public static bool Enabled { get; set; } = true;

    public static bool Suits(ConvGeometry g, int outChannels) => Enabled && g.SH == 1 && g.SW == 1 && outChannels < g.C;

    /// <summary>y (N, OH, OW, O) += conv(x, w) for images [first, first + count); y holds the bias already.</summary>
    public static void Forward(Precision precision, ConvGeometry g, float[] x, float[] w, int outC, int first, int count, float[] z, float[] y)
    {
        int taps = outC * g.KH * g.KW, inPixels = g.H * g.W;
        // Z[count*H*W, taps] = X[.., C] x W[taps, C]^T
        Gemm.Run(precision, false, true, count * inPixels, taps, g.C, 1f, x.AsSpan(first * inPixels * g.C), g.C, w, g.C, 0f, z, taps);
        Par.For(count * g.OH, 4, (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                int i = r / g.OH, oy = r % g.OH;
                for (int ky = 0; ky < g.KH; ky++)
                {
                    int iy = oy + ky - g.PH;
                    if ((uint)iy >= (uint)g.H) continue;
                    for (int ox = 0; ox < g.OW; ox++)
                    {
                        int yBase = (((first + i) * g.OH + oy) * g.OW + ox) * outC;
                        for (int kx = 0; kx < g.KW; kx++)
                        {
                            int ix = ox + kx - g.PW;
                            if ((uint)ix >= (uint)g.W) continue;
                            int zBase = ((i * g.H + iy) * g.W + ix) * taps + ky * g.KW + kx;
                            for (int o = 0; o < outC; o++) y[yBase + o] += z[zBase + o * g.KH * g.KW];
                        }
                    }
                }
            }
        });
    }

    /// <summary>
    /// Gradients for images [first, first + count): dZ gathers dY back onto input pixels, then
    /// dX = dZ x W and dW += dZ^T x X. Pass null for gradients that are not needed.
    /// </summary>
    public static void Backward(Precision precision, ConvGeometry g, float[] x, float[] w, int outC, float[] gy, int first, int count,
        float[] dz, float[]? dx, float[]? dw, bool accumulateW)
    {
        int taps = outC * g.KH * g.KW, inPixels = g.H * g.W, kk = g.KH * g.KW;
        Par.For(count * g.H, 4, (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                int i = r / g.H, iy = r % g.H;
                for (int ix = 0; ix < g.W; ix++)
                {
                    var row = dz.AsSpan(((i * g.H + iy) * g.W + ix) * taps, taps);
                    for (int ky = 0; ky < g.KH; ky++)
                    {
                        int oy = iy - ky + g.PH;
                        for (int kx = 0; kx < g.KW; kx++)
                        {
                            int ox = ix - kx + g.PW;
                            int t = ky * g.KW + kx;
                            if ((uint)oy >= (uint)g.OH || (uint)ox >= (uint)g.OW)
                            {
                                for (int o = 0; o < outC; o++) row[o * kk + t] = 0f;
                                continue;
                            }
                            int yBase = (((first + i) * g.OH + oy) * g.OW + ox) * outC;
                            for (int o = 0; o < outC; o++) row[o * kk + t] = gy[yBase + o];
                        }
                    }
                }
            }
        });
        var xChunk = x.AsSpan(first * inPixels * g.C, count * inPixels * g.C);
        if (dx is not null) // dX[pixels, C] += dZ[pixels, taps] x W[taps, C]
            Gemm.Run(precision, false, false, count * inPixels, g.C, taps, 1f, dz, taps, w, g.C, 1f, dx.AsSpan(first * inPixels * g.C), g.C);
        if (dw is not null) // dW[taps, C] (+)= dZ^T[taps, pixels] x X[pixels, C]
            Gemm.Run(precision, true, false, taps, g.C, count * inPixels, 1f, dz, taps, xChunk, g.C, accumulateW ? 1f : 0f, dw, g.C);
    }
}
