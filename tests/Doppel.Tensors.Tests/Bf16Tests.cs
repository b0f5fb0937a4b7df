using Doppel.Tensors.Kernels;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Tensors.Tests;

/// <summary>
/// float32 -> bfloat16 rounding: known bit patterns (ties to even, carries into the exponent,
/// overflow to infinity, subnormals, NaN), an independent nearest-value reference, and the
/// three twins (AVX-512, AVX2, scalar) giving the same bits at awkward lengths.
/// </summary>
public sealed class Bf16Tests
{
    [Theory]
    [InlineData(0x3F80_0000u, (ushort)0x3F80)]  // 1
    [InlineData(0x3F80_8000u, (ushort)0x3F80)]  // halfway between 1 and the next bf16: to even (down)
    [InlineData(0x3F81_8000u, (ushort)0x3F82)]  // halfway, odd below: to even (up)
    [InlineData(0x3F80_8001u, (ushort)0x3F81)]  // just above halfway
    [InlineData(0x3F80_7FFFu, (ushort)0x3F80)]  // just below halfway
    [InlineData(0x3FFF_FFFFu, (ushort)0x4000)]  // 1.99999988: carries into the exponent, 2
    [InlineData(0x7F7F_FFFFu, (ushort)0x7F80)]  // float's largest rounds to infinity
    [InlineData(0xFF7F_FFFFu, (ushort)0xFF80)]  // and its negative to -infinity
    [InlineData(0x7F7F_7FFFu, (ushort)0x7F7F)]  // bf16's largest finite stays
    [InlineData(0x7F80_0000u, (ushort)0x7F80)]  // infinity
    [InlineData(0xFF80_0000u, (ushort)0xFF80)]  // -infinity
    [InlineData(0x8000_0000u, (ushort)0x8000)]  // -0
    [InlineData(0x0000_8000u, (ushort)0x0000)]  // subnormal tie, even below
    [InlineData(0x0001_8000u, (ushort)0x0002)]  // subnormal tie, odd below
    [InlineData(0x0000_C000u, (ushort)0x0001)]  // subnormal above halfway
    [InlineData(0x007F_FFFFu, (ushort)0x0080)]  // largest subnormal rounds up to the smallest normal
    [InlineData(0x7F80_0001u, (ushort)0x7FC0)]  // signalling NaN with the payload in the dropped bits: still NaN, quiet
    [InlineData(0xFFC1_2345u, (ushort)0xFFC1)]  // quiet NaN keeps its sign and upper payload
    [InlineData(0x7FFF_FFFFu, (ushort)0x7FFF)]  // NaN that rounding would carry into the sign
    public void RoundsToNearestEvenOnTheBitPattern(uint bits, ushort expected)
    {
        float value = BitConverter.UInt32BitsToSingle(bits);
        Assert.Equal(expected, Bf16.FromFloat(value));
        foreach (var width in new[] { SimdWidth.Vector512, SimdWidth.Vector256, SimdWidth.Scalar })
        {
            var src = Enumerable.Repeat(value, 37).ToArray();
            var dst = new ushort[37];
            Bf16.Round(width, src, dst);
            Assert.All(dst, d => Assert.Equal(expected, d));
        }
    }

    [Fact]
    public void EveryFiniteBf16IsItsOwnRoundingAndWideningIsExact()
    {
        for (int b = 0; b < 65536; b++)
        {
            float wide = Bf16.ToFloat((ushort)b);
            if (float.IsNaN(wide)) Assert.True(float.IsNaN(Bf16.ToFloat(Bf16.FromFloat(wide))));
            else Assert.Equal((ushort)b, Bf16.FromFloat(wide));
        }
    }

    /// <summary>The nearest of the two bf16 neighbours, worked out in double, ties to the even one.</summary>
    private static ushort Nearest(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        ushort below = (ushort)(bits >> 16);
        if ((bits & 0xFFFF) == 0) return below;
        ushort above = (ushort)(below + 1); // the next magnitude up (infinity past the largest finite)
        double dBelow = Math.Abs((double)x - Bf16.ToFloat(below));
        double dAbove = float.IsInfinity(Bf16.ToFloat(above))
            ? Math.Pow(2, 128) - Math.Abs((double)x) // past the largest finite bf16 the next step (2^128) is infinity
            : Math.Abs(Bf16.ToFloat(above) - (double)x);
        if (dBelow < dAbove) return below;
        if (dAbove < dBelow) return above;
        return (below & 1) == 0 ? below : above;
    }

    [Fact]
    public void MatchesAnIndependentNearestValueReference()
    {
        var rng = new Rng(11);
        for (int i = 0; i < 200_000; i++)
        {
            uint bits = (uint)rng.NextULong();
            float x = BitConverter.UInt32BitsToSingle(bits);
            if (float.IsNaN(x)) continue;
            ushort got = Bf16.FromFloat(x), want = Nearest(x);
            if (got != want) Assert.Fail($"0x{bits:X8} ({x:G9}): 0x{got:X4}, nearest is 0x{want:X4}");
        }
    }

    [Fact]
    public void TheThreeTwinsGiveTheSameBitsAtAwkwardLengths()
    {
        var rng = new Rng(12);
        int[] lengths = [.. Enumerable.Range(0, 70), 127, 128, 129, 1000, 70_001, 200_003];
        foreach (int n in lengths)
        {
            var src = new float[n];
            for (int i = 0; i < n; i++)
                src[i] = (i % 7) switch
                {
                    0 => BitConverter.UInt32BitsToSingle((uint)rng.NextULong()), // any pattern: NaN, infinities, subnormals
                    1 => BitConverter.UInt32BitsToSingle(((uint)rng.NextULong() & 0xFFFF_0000u) | 0x8000u), // exact ties
                    _ => rng.Uniform(-3, 3),
                };
            var scalar = new ushort[n];
            Bf16.ScalarRun(src, scalar);
            foreach (var width in new[] { SimdWidth.Vector512, SimdWidth.Vector256, SimdWidth.Scalar })
            {
                var dst = new ushort[n + 3];
                dst.AsSpan(n).Fill(0xBEEF);
                Bf16.Round(width, src, dst);
                for (int i = 0; i < n; i++)
                    if (dst[i] != scalar[i]) Assert.Fail($"{width}, length {n}, element {i} (0x{BitConverter.SingleToUInt32Bits(src[i]):X8}): 0x{dst[i]:X4}, scalar 0x{scalar[i]:X4}");
                Assert.All(dst[n..], d => Assert.Equal(0xBEEF, d)); // nothing written past the end
            }
        }
    }
}
