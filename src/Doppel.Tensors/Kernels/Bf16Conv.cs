using System.Runtime.InteropServices;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// The im2col convolution of <see cref="Ops.Conv2d(Tensor, Tensor, Tensor?, (int H, int W), (int H, int W), int)"/>
/// with bfloat16 operands (<see cref="Precision.Bf16"/>). The same lowering and chunking as the
/// float32 path, but the column matrix is built from a rounded copy of x, so it is rounded once per
/// image rather than once per patch it appears in (25 times for a 5x5 kernel at stride 1) and
/// moves half the bytes; the weight and the output gradient are rounded once per call. The
/// products accumulate in float32 into y, dW and the float32 column gradient that col2im scatters.
/// </summary>
internal static unsafe class Bf16Conv
{
    /// <summary>y (N, OH, OW, O) += conv(x, w) over all n images, chunk images per GEMM; y holds the bias already.</summary>
    public static void Forward(ConvGeometry g, int n, int chunk, float[] x, float[] w, int outC, float[] y)
    {
        int imageFloats = g.H * g.W * g.C;
        using var xBits = Bf16Scratch.Round(x.AsSpan(0, n * imageFloats));
        using var wBits = Bf16Scratch.Round(w.AsSpan(0, outC * g.K));
        using var col = new Bf16Scratch(chunk * g.PixelsOut * g.K);
        fixed (float* py = y)
            for (int first = 0; first < n; first += chunk)
            {
                int count = Math.Min(chunk, n - first), rows = count * g.PixelsOut;
                g.Im2Col(xBits.Pointer, first, count, col.Pointer);
                // Y[rows, O] += col[rows, K] x W[O, K]^T
                Bf16Gemm.Run(false, true, rows, outC, g.K, 1f, col.Bits[..(rows * g.K)], g.K, wBits.Bits, g.K, 1f,
                    py + (long)first * g.PixelsOut * outC, outC);
            }
    }

    /// <summary>
    /// dW (+)= G^T col and dX += col2im(G W) over all n images (pass null for a gradient not
    /// needed); <paramref name="scratch"/> holds one chunk's float32 column gradient.
    /// </summary>
    public static void Backward(ConvGeometry g, int n, int chunk, float[] x, float[] w, int outC, float[] gy,
        float[]? dx, float[]? dw, bool accumulateW, float[] scratch)
    {
        int imageFloats = g.H * g.W * g.C, pixels = g.PixelsOut, k = g.K;
        using var xBits = dw is null ? default : Bf16Scratch.Round(x.AsSpan(0, n * imageFloats));
        using var wBits = dx is null ? default : Bf16Scratch.Round(w.AsSpan(0, outC * k));
        using var gBits = new Bf16Scratch(chunk * pixels * outC);
        using var col = dw is null ? default : new Bf16Scratch(chunk * pixels * k);
        fixed (float* pdw = dw, pscratch = scratch)
            for (int first = 0; first < n; first += chunk)
            {
                int count = Math.Min(chunk, n - first), rows = count * pixels;
                var gChunk = gBits.Bits[..(rows * outC)];
                Bf16.Round(gy.AsSpan(first * pixels * outC, rows * outC), gChunk);
                if (dw is not null)
                {
                    // dW[O, K] (+)= G^T[O, rows] x col[rows, K]
                    g.Im2Col(xBits.Pointer, first, count, col.Pointer);
                    Bf16Gemm.Run(true, false, outC, k, rows, 1f, gChunk, outC, col.Bits[..(rows * k)], k,
                        accumulateW || first > 0 ? 1f : 0f, pdw, k);
                }
                if (dx is not null)
                {
                    // dcol[rows, K] = G[rows, O] x W[O, K], then scattered back onto the image in float32.
                    Bf16Gemm.Run(false, false, rows, k, outC, 1f, gChunk, outC, wBits.Bits, k, 0f, pscratch, k);
                    g.Col2Im(scratch, first, count, dx);
                }
            }
    }
}

/// <summary>
/// bfloat16 scratch from <see cref="BufferPool"/>: a float array of half the length viewed as
/// 16-bit halves, pinned while leased (the native GEMM and the pointer kernels read it).
/// </summary>
internal readonly unsafe struct Bf16Scratch : IDisposable
{
    private readonly float[]? _storage;
    private readonly GCHandle _pin;

    public Bf16Scratch(int length)
    {
        Length = length;
        _storage = BufferPool.Rent((length + 1) / 2);
        _pin = GCHandle.Alloc(_storage, GCHandleType.Pinned);
        Pointer = (ushort*)_pin.AddrOfPinnedObject();
    }

    public int Length { get; }
    public ushort* Pointer { get; }
    public Span<ushort> Bits => new(Pointer, Length);

    /// <summary>Scratch holding bf16(values).</summary>
    public static Bf16Scratch Round(ReadOnlySpan<float> values)
    {
        var scratch = new Bf16Scratch(values.Length);
        Bf16.Round(values, scratch.Bits);
        return scratch;
    }

    public void Dispose()
    {
        if (_storage is null) return;
        _pin.Free();
        BufferPool.Return(_storage);
    }
}
