using Doppel.Provenance.Cbor;

namespace Doppel.Provenance.Tests;

/// <summary>Doppel's CBOR object model over .NET's System.Formats.Cbor: every kind of item, what others write, and hostile bytes.</summary>
public class CborTests
{
    [Fact]
    public void EveryKindOfItem_RoundTrips_InTheOrderGiven()
    {
        var map = new CborMap()
            .Add("z", long.MaxValue).Add("a", long.MinValue).Add(0L, "text ü")
            .Add(-1L, new byte[] { 0, 255 }).Add("tag", new CborTag(32, "https://example.com"))
            .Add("simple", new List<object?> { true, false, null, CborUndefined.Instance, 1.5 })
            .Add("nested", new CborMap().Add("list", new List<object?> { new CborMap(), new List<object?>() }));
        byte[] encoded = CborWriter.Encode(map);
        var back = Assert.IsType<CborMap>(CborReader.Decode(encoded));
        Assert.Equal(new object[] { "z", "a", 0L, -1L, "tag", "simple", "nested" }, back.Entries.Select(e => e.Key));
        Assert.Equal(long.MinValue, back["a"]);
        Assert.Equal(new CborTag(32, "https://example.com"), back["tag"]);
        Assert.Equal(new object?[] { true, false, null, CborUndefined.Instance, 1.5 }, back.GetArray("simple")!);
        Assert.Equal(encoded, CborWriter.Encode(back));
    }

    [Fact]
    public void IntegersAndLengths_TakeTheirShortestHeads()
    {
        Assert.Equal([0x17], CborWriter.Encode(23L));
        Assert.Equal([0x18, 0x18], CborWriter.Encode(24L));
        Assert.Equal([0x38, 0x63], CborWriter.Encode(-100L));
        Assert.Equal([0x19, 0x01, 0x00], CborWriter.Encode(256L));
        Assert.Equal([0x43, 1, 2, 3], CborWriter.Encode(new byte[] { 1, 2, 3 }));
        Assert.Equal([0xa1, 0x61, (byte)'k', 0x80], CborWriter.Encode(new CborMap().Add("k", new List<object?>())));
    }

    [Fact]
    public void IndefiniteLengths_AsSomeWritersUseThem_AreRead()
    {
        // {_ "a": [_ 1, 2], "b": (_ h'01', h'02'), "c": (_ "x", "y")}
        byte[] data = [0xbf, 0x61, (byte)'a', 0x9f, 0x01, 0x02, 0xff, 0x61, (byte)'b', 0x5f, 0x41, 0x01, 0x41, 0x02, 0xff,
            0x61, (byte)'c', 0x7f, 0x61, (byte)'x', 0x61, (byte)'y', 0xff, 0xff];
        var map = Assert.IsType<CborMap>(CborReader.Decode(data));
        Assert.Equal(new object?[] { 1L, 2L }, map.GetArray("a")!);
        Assert.Equal(new byte[] { 1, 2 }, map.GetBytes("b"));
        Assert.Equal("xy", map.GetString("c"));
    }

    [Fact]
    public void HalfAndSingleFloats_ReadAsDoubles() =>
        Assert.Equal(new object?[] { 1.5, 0.25 }, Assert.IsType<List<object?>>(CborReader.Decode([0x82, 0xf9, 0x3e, 0x00, 0xfa, 0x3e, 0x80, 0x00, 0x00])));

    [Theory]
    [InlineData(new byte[] { 0x18 }, "ends inside a head")]
    [InlineData(new byte[] { 0x01, 0x02 }, "trailing byte")]
    [InlineData(new byte[] { 0x62, 0xc3, 0x28 }, "invalid UTF-8")]
    [InlineData(new byte[] { 0xa2, 0x61, (byte)'k', 0x01, 0x61, (byte)'k', 0x02 }, "a key twice")]
    [InlineData(new byte[] { 0x1b, 0x80, 0, 0, 0, 0, 0, 0, 0 }, "past long's range")]
    [InlineData(new byte[] { 0xf0 }, "an unassigned simple value")]
    [InlineData(new byte[] { 0xa1, 0xf6, 0x01 }, "a null key")]
    [InlineData(new byte[] { 0x9f, 0x01 }, "no break")]
    [InlineData(new byte[] { 0x1c }, "a reserved head")]
    public void Malformed_IsACborException(byte[] data, string what) =>
        Assert.True(Assert.Throws<CborException>(() => CborReader.Decode(data)).Message.Length > 0, what);

    [Fact]
    public void Nesting_IsLimited()
    {
        // The library has a depth limit of its own, at or below Doppel's; either one answers.
        byte[] deep = [.. Enumerable.Repeat((byte)0x81, CborReader.MaxDepth + 1), 0x01];
        Assert.Throws<CborException>(() => CborReader.Decode(deep));
        byte[] fine = [.. Enumerable.Repeat((byte)0x81, 16), 0x01];
        Assert.IsType<List<object?>>(CborReader.Decode(fine));
    }

    [Fact]
    public void AMapGivenTheSameKeyTwice_IsNotWritten() =>
        Assert.ThrowsAny<InvalidOperationException>(() => CborWriter.Encode(new CborMap().Add("k", 1L).Add("k", 2L)));

    [Fact]
    public void Fuzz_MutatedClaims_DecodeOrFailCleanly()
    {
        byte[] claim = CborWriter.Encode(new CborMap()
            .Add("instanceID", "xmp:iid:0b7a").Add("dc:title", "t.png")
            .Add("claim_generator_info", new CborMap().Add("name", "Doppel").Add("version", "0.1"))
            .Add("created_assertions", new List<object?> { new CborMap().Add("url", "self#jumbf=c2pa.assertions/c2pa.hash.data").Add("hash", new byte[32]) })
            .Add("alg", "sha256"));
        var rng = new Random(77);
        int decoded = 0;
        for (int i = 0; i < 5000; i++)
        {
            byte[] m = (byte[])claim.Clone();
            for (int k = 1 + rng.Next(3); k > 0; k--) m[rng.Next(m.Length)] = (byte)rng.Next(256);
            if (i % 7 == 0) m = m[..rng.Next(m.Length)];
            try { CborReader.Decode(m); decoded++; }
            catch (CborException) { }
        }
        Assert.InRange(decoded, 1, 4999);
    }
}
