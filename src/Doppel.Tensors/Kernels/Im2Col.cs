using System.Numerics.Tensors;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// The geometry of a 2-D convolution over NHWC images, and the im2col / col2im transforms
/// that turn it into one matrix multiply. A column-matrix row is one output pixel; its K =
/// KH*KW*C entries are the input patch in (ky, kx, c) order, which matches a weight stored as
/// (O, KH, KW, C). Because NHWC keeps a pixel's channels together, a patch row that lies fully
/// inside the image is a single contiguous copy of KW*C floats.
/// </summary>
internal readonly record struct ConvGeometry(int H, int W, int C, int KH, int KW, int SH, int SW, int PH, int PW, int OH, int OW)
{
    public int K => KH * KW * C;
    public int PixelsOut => OH * OW;

    public static ConvGeometry Of(string op, int[] x, int[] w, int stride, int pad) => Of(op, x, w, (stride, stride), (pad, pad));

    /// <summary>Per-axis stride and padding (H, W); x (N, H, W, C), w (O, KH, KW, C).</summary>
    public static ConvGeometry Of(string op, int[] x, int[] w, (int H, int W) stride, (int H, int W) pad)
    {
        if (x.Length != 4 || w.Length != 4 || x[3] != w[3]) throw new ShapeMismatchException(op, x, w, "input NHWC and weight (O, KH, KW, C) must agree on C");
        return OfPatch(op, x, w, stride, pad);
    }

    /// <summary>As <see cref="Of(string, int[], int[], (int H, int W), (int H, int W))"/> without the channel check: grouped convolutions see C / groups channels per patch.</summary>
    public static ConvGeometry OfPatch(string op, int[] x, int[] w, (int H, int W) stride, (int H, int W) pad)
    {
        if (stride.H < 1 || stride.W < 1 || pad.H < 0 || pad.W < 0)
            throw new ArgumentException($"{op}: stride {stride} and padding {pad} must be >= 1 and >= 0");
        int oh = (x[1] + 2 * pad.H - w[1]) / stride.H + 1, ow = (x[2] + 2 * pad.W - w[2]) / stride.W + 1;
        if (oh <= 0 || ow <= 0 || x[1] + 2 * pad.H < w[1] || x[2] + 2 * pad.W < w[2]) throw new ShapeMismatchException(op, x, w, "kernel larger than padded input");
        return new ConvGeometry(x[1], x[2], w[3], w[1], w[2], stride.H, stride.W, pad.H, pad.W, oh, ow);
    }

    /// <summary>Fills col (count*OH*OW rows of K) from images [first, first + count) of x.</summary>
    public unsafe void Im2Col(float[] x, int first, int count, float[] col)
    {
        CheckIm2Col(x.Length, first, count, col.Length);
        fixed (float* px = x, pc = col) Im2Col(px, first, count, pc);
    }

    /// <summary>
    /// The same for any element type: float32 values, or bfloat16 bits (mixed precision builds
    /// the column matrix from a rounded copy of x, half the bytes to move).
    /// </summary>
    public unsafe void Im2Col<T>(T* x, int first, int count, T* col) where T : unmanaged
    {
        var g = this;
        nint xAddr = (nint)x, colAddr = (nint)col;
        Par.For(count * OH, 8, (s, e) =>
        {
            for (int r = s; r < e; r++) g.Im2ColRow((T*)xAddr, first + r / g.OH, r % g.OH, (T*)colAddr + (long)r * g.OW * g.K);
        });
    }

    /// <summary>The pointer version trusts its caller; these are the extents it relies on.</summary>
    public void CheckIm2Col(long xLength, int first, int count, long colLength)
    {
        if (first < 0 || count < 0 || xLength < (long)(first + count) * H * W * C || colLength < (long)count * PixelsOut * K)
            throw new ArgumentException($"im2col: images [{first}, {first + count}) of {xLength} floats into {colLength}: too short");
    }

    private unsafe void Im2ColRow<T>(T* x, int n, int oy, T* dst) where T : unmanaged
    {
        int rowLen = KW * C;
        for (int ox = 0; ox < OW; ox++)
        {
            int ix0 = ox * SW - PW;
            bool inside = ix0 >= 0 && ix0 + KW <= W;
            for (int ky = 0; ky < KH; ky++, dst += rowLen)
            {
                int iy = oy * SH - PH + ky;
                var target = new Span<T>(dst, rowLen);
                if ((uint)iy >= (uint)H) { target.Clear(); continue; }
                long rowBase = ((long)n * H + iy) * W;
                if (inside)
                {
                    new ReadOnlySpan<T>(x + (rowBase + ix0) * C, rowLen).CopyTo(target);
                    continue;
                }
                for (int kx = 0; kx < KW; kx++)
                {
                    int ix = ix0 + kx;
                    var piece = target.Slice(kx * C, C);
                    if ((uint)ix >= (uint)W) piece.Clear();
                    else new ReadOnlySpan<T>(x + (rowBase + ix) * C, C).CopyTo(piece);
                }
            }
        }
    }

    /// <summary>Adds col (count*OH*OW rows of K) back into images [first, first + count) of dx.</summary>
    public void Col2Im(float[] col, int first, int count, float[] dx)
    {
        var g = this;
        // Output rows of one image overlap in dx when kernels overlap, so split by image.
        Par.For(count, 1, (s, e) =>
        {
            for (int i = s; i < e; i++)
                for (int oy = 0; oy < g.OH; oy++)
                    g.Col2ImRow(col, (long)(i * g.OH + oy) * g.OW * g.K, first + i, oy, dx);
        });
    }

    private void Col2ImRow(float[] col, long src, int n, int oy, float[] dx)
    {
        int rowLen = KW * C;
        for (int ox = 0; ox < OW; ox++)
        {
            int ix0 = ox * SW - PW;
            bool inside = ix0 >= 0 && ix0 + KW <= W;
            for (int ky = 0; ky < KH; ky++, src += rowLen)
            {
                int iy = oy * SH - PH + ky;
                if ((uint)iy >= (uint)H) continue;
                long rowBase = ((long)n * H + iy) * W;
                var from = col.AsSpan((int)src, rowLen);
                if (inside)
                {
                    var to = dx.AsSpan((int)((rowBase + ix0) * C), rowLen);
                    TensorPrimitives.Add(to, from, to);
                    continue;
                }
                for (int kx = 0; kx < KW; kx++)
                {
                    int ix = ix0 + kx;
                    if ((uint)ix >= (uint)W) continue;
                    var to = dx.AsSpan((int)((rowBase + ix) * C), C);
                    TensorPrimitives.Add(to, from.Slice(kx * C, C), to);
                }
            }
        }
    }
}
