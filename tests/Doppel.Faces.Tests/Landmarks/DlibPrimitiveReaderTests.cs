using Doppel.Core;
using Doppel.Faces.Landmarks;

namespace Doppel.Faces.Tests.Landmarks;

/// <summary>dlib's integer and float encodings, with byte strings worked out from serialize.h.</summary>
public sealed class DlibPrimitiveReaderTests
{
    [Theory]
    [InlineData(new byte[] { 0x01, 0x01 }, 1L)]
    [InlineData(new byte[] { 0x01, 0x00 }, 0L)]
    [InlineData(new byte[] { 0x81, 0x88 }, -136L)]
    [InlineData(new byte[] { 0x02, 0x34, 0x12 }, 0x1234L)]
    [InlineData(new byte[] { 0x82, 0x34, 0x12 }, -0x1234L)]
    public void ReadsSignedIntegers(byte[] bytes, long expected)
    {
        var reader = new DlibPrimitiveReader(bytes, "test");
        Assert.Equal(expected, reader.ReadSigned(8));
        Assert.True(reader.AtEnd);
    }

    [Fact]
    public void ReadsUnsignedIntegersAndRejectsTheSignBit()
    {
        var reader = new DlibPrimitiveReader(new byte[] { 0x03, 0x01, 0x02, 0x03 }, "test");
        Assert.Equal(0x030201UL, reader.ReadUnsigned(8));
        Assert.Throws<DoppelException>(() => new DlibPrimitiveReader(new byte[] { 0x81, 0x01 }, "test").ReadUnsigned(8));
    }

    [Fact]
    public void ReadsFloatsAsMantissaTimesPowerOfTwo()
    {
        // The first float of Debian's 68-point model: mantissa 0xf1384d, exponent -29.
        var reader = new DlibPrimitiveReader(new byte[] { 0x03, 0x4d, 0x38, 0xf1, 0x81, 0x1d }, "test");
        Assert.Equal(MathF.ScaleB(0xf1384d, -29), reader.ReadFloat());
        // -1.5 = -3 * 2^-1; zero; +inf (exponent 32000 = 0x7d00); NaN (32002 = 0x7d02).
        Assert.Equal(-1.5f, new DlibPrimitiveReader(new byte[] { 0x81, 0x03, 0x81, 0x01 }, "t").ReadFloat());
        Assert.Equal(0f, new DlibPrimitiveReader(new byte[] { 0x01, 0x00, 0x01, 0x00 }, "t").ReadFloat());
        Assert.Equal(float.PositiveInfinity, new DlibPrimitiveReader(new byte[] { 0x01, 0x00, 0x02, 0x00, 0x7d }, "t").ReadFloat());
        Assert.True(float.IsNaN(new DlibPrimitiveReader(new byte[] { 0x01, 0x00, 0x02, 0x02, 0x7d }, "t").ReadFloat()));
    }

    [Theory]
    [InlineData(new byte[] { })]                        // nothing at all
    [InlineData(new byte[] { 0x03, 0x01 })]             // count says 3 bytes, 1 follows
    [InlineData(new byte[] { 0x00 })]                   // zero-length integer
    [InlineData(new byte[] { 0x09, 1, 2, 3, 4, 5, 6, 7, 8, 9 })] // longer than 8 bytes
    [InlineData(new byte[] { (byte)'1', (byte)'.', (byte)'5', (byte)' ' })] // dlib's old text floats
    public void RejectsMalformedFloatsWithADoppelException(byte[] bytes)
    {
        var e = Assert.Throws<DoppelException>(() => new DlibPrimitiveReader(bytes, "model.dat").ReadFloat());
        Assert.Contains("model.dat", e.Message);
    }
}
