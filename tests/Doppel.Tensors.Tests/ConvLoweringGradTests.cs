using Doppel.Tensors.Kernels;

namespace Doppel.Tensors.Tests;

/// <summary>
/// The conv gradient checks under the settings that select other code paths: the shift-add
/// lowering switched off (so its shapes go through im2col), and batches split into several
/// scratch-sized chunks (2 + 2 + 1 images), on both GEMM back ends. These flip process-wide
/// switches, so they run in the serial collection.
/// </summary>
[Collection(GlobalStateCollection.Name)]
public sealed class ConvLoweringGradTests
{
    private static void With(bool shift, long? maxColFloats, bool managed, Action body)
    {
        bool savedShift = ShiftConv.Enabled;
        int savedMax = Ops.MaxColFloats;
        ShiftConv.Enabled = shift;
        if (maxColFloats is { } m) Ops.MaxColFloats = (int)m;
        try { Backend.With(managed, body); }
        finally
        {
            ShiftConv.Enabled = savedShift;
            Ops.MaxColFloats = savedMax;
        }
    }

    [Theory]
    [MemberData(nameof(ConvTests.ConvCases), MemberType = typeof(ConvTests))]
    public void Conv2d_with_shift_add_switched_off(int n, int h, int w, int c, int o, int k, int stride, int pad, bool bias) =>
        With(shift: false, null, managed: false, () => ConvTests.CheckConv(n, h, w, c, o, k, stride, pad, bias));

    /// <summary>(H, W, C, O, K, stride, padding, managed GEMM).</summary>
    [Theory]
    [InlineData(5, 6, 4, 2, 3, 1, 1, false)]  // shift-add lowering
    [InlineData(5, 6, 4, 2, 3, 1, 1, true)]
    [InlineData(5, 6, 2, 3, 3, 1, 1, false)]  // im2col
    [InlineData(5, 6, 2, 3, 3, 1, 1, true)]
    [InlineData(7, 6, 2, 3, 3, 2, 1, false)]  // im2col, stride 2
    [InlineData(6, 5, 3, 2, 5, 1, 2, true)]   // shift-add, 5x5
    public void Conv2d_split_into_chunks(int h, int w, int c, int o, int k, int stride, int pad, bool managed)
    {
        const int n = 5;
        bool shift = stride == 1 && o < c;
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        // Scratch per image as the planner counts it: Z (H*W x O*KH*KW) or im2col (OH*OW x KH*KW*C).
        long perImage = shift ? (long)h * w * o * k * k : (long)oh * ow * k * k * c;
        With(shift: true, maxColFloats: 2 * perImage, managed, () =>
        {
            Assert.Equal(shift, ShiftConv.Suits(ConvGeometry.Of("conv2d", [n, h, w, c], [o, k, k, c], stride, pad), o));
            ConvTests.CheckConv(n, h, w, c, o, k, stride, pad, bias: true);
        });
    }
}
