using Doppel.Tensors;
using Doppel.Tensors.Kernels;
using Doppel.Tensors.Nn;

namespace Doppel.Tensors.Tests;

/// <summary>The shift-add lowering must compute exactly what im2col computes, values and gradients.</summary>
[Collection(GlobalStateCollection.Name)]
public class ConvLoweringTests
{
    [Theory]
    [InlineData(2, 9, 7, 8, 3, 5, 2)]   // to-RGB shape: narrow output, 5x5 "same"
    [InlineData(3, 6, 6, 5, 2, 3, 1)]
    [InlineData(1, 5, 8, 4, 1, 3, 0)]   // valid padding
    [InlineData(2, 4, 4, 7, 6, 1, 0)]   // 1x1 kernel
    public void ShiftAddMatchesIm2Col(int n, int h, int w, int c, int o, int k, int pad)
    {
        var (y1, dx1, dw1, db1) = Run(n, h, w, c, o, k, pad, shift: true, new Rng(7));
        var (y2, dx2, dw2, db2) = Run(n, h, w, c, o, k, pad, shift: false, new Rng(7));
        AssertClose(y2, y1);
        AssertClose(dx2, dx1);
        AssertClose(dw2, dw1);
        AssertClose(db2, db1);
    }

    [Fact]
    public void ChunkedBatchMatchesOneChunk()
    {
        int saved = Ops.MaxColFloats;
        try
        {
            var whole = Run(5, 6, 6, 8, 3, 3, 1, shift: true, new Rng(3));
            Ops.MaxColFloats = 6 * 6 * 3 * 9 * 2; // two images per chunk
            var chunked = Run(5, 6, 6, 8, 3, 3, 1, shift: true, new Rng(3));
            AssertClose(whole.Y, chunked.Y);
            AssertClose(whole.Dx, chunked.Dx);
            AssertClose(whole.Dw, chunked.Dw);
        }
        finally { Ops.MaxColFloats = saved; }
    }

    private static (float[] Y, float[] Dx, float[] Dw, float[] Db) Run(int n, int h, int w, int c, int o, int k, int pad, bool shift, Rng rng)
    {
        ShiftConv.Enabled = shift;
        try
        {
            using var scope = TensorScope.Begin();
            var x = Tensor.Empty(n, h, w, c); rng.FillUniform(x.Span, -1, 1); x.RequiresGrad = true;
            var wt = Tensor.Empty(o, k, k, c); rng.FillUniform(wt.Span, -1, 1); wt.RequiresGrad = true;
            var b = Tensor.Empty(o); rng.FillUniform(b.Span, -1, 1); b.RequiresGrad = true;
            var y = Ops.Conv2d(x, wt, b, 1, pad);
            var r = Tensor.Empty(y.Shape); rng.FillUniform(r.Span, -1, 1);
            Ops.Sum(Ops.Mul(y, r)).Backward();
            return (y.ToArray(), x.Grad!.ToArray(), wt.Grad!.ToArray(), b.Grad!.ToArray());
        }
        finally { ShiftConv.Enabled = true; }
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f + 1e-4f * Math.Abs(expected[i]), $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
