using Doppel.Tensors.Kernels;

namespace Doppel.Tensors.Tests;

/// <summary>
/// The grouped and transposed convolution checks under the settings that select other code
/// paths: batches split into scratch-sized chunks (2 + 2 + 1 images) and the managed GEMM.
/// These flip process-wide switches, so they run in the serial collection.
/// </summary>
[Collection(GlobalStateCollection.Name)]
public sealed class ConvFamilyLoweringTests
{
    private static void With(long? maxColFloats, bool managed, Action body)
    {
        int saved = Ops.MaxColFloats;
        if (maxColFloats is { } m) Ops.MaxColFloats = (int)m;
        try { Backend.With(managed, body); }
        finally { Ops.MaxColFloats = saved; }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Grouped_conv2d_split_into_chunks(bool managed)
    {
        // Per-group column matrix per image: OH*OW x KH*KW*Cg = 30 x 18 floats.
        With(2 * 30 * 18, managed, () => ConvFamilyTests.CheckGrouped(5, 6, 5, 4, 6, 3, 3, 1, 1, 1, 1, 2, bias: true));
    }

    [Fact]
    public void Depthwise_conv2d_on_the_managed_gemm_is_unaffected() =>
        With(null, managed: true, () => ConvFamilyTests.CheckGrouped(5, 5, 6, 4, 4, 3, 3, 2, 1, 1, 1, 4, bias: true));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ConvTranspose2d_split_into_chunks(bool managed)
    {
        // Column matrix per image: H*W x KH*KW*C_out = 9 x 48 floats.
        With(2 * 9 * 48, managed, () => ConvFamilyTests.CheckTranspose(5, 3, 3, 4, 3, 4, 4, 2, 2, 1, 1, 0, 0, bias: true));
    }

    [Theory]
    [MemberData(nameof(ConvFamilyTests.TransposeCases), MemberType = typeof(ConvFamilyTests))]
    public void ConvTranspose2d_on_the_managed_gemm(int n, int h, int w, int cin, int cout, int kh, int kw, int sh, int sw, int ph, int pw, int oph, int opw, bool bias) =>
        With(null, managed: true, () => ConvFamilyTests.CheckTranspose(n, h, w, cin, cout, kh, kw, sh, sw, ph, pw, oph, opw, bias));
}
