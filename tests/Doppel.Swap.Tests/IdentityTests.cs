using System.Text.Json.Nodes;
using Doppel.Datasets.FaceSets;
using Doppel.Media.Imaging;
using Doppel.Swap.Identity;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Tests;

/// <summary>The identity classifier's parts on made-up data: input normalisation, the three-way call, the altered faces, the batches.</summary>
public class IdentityTests
{
    private const int Size = IdentityInput.Size * IdentityInput.Size * 3;

    [Fact]
    public void NormalisationRemovesEveryChannelsGainAndOffset()
    {
        var face = RandomFace(1);
        var shifted = face.Select((v, i) => v * (0.6f + 0.2f * (i % 3)) + 0.05f * (i % 3)).ToArray();
        IdentityInput.Normalise(face);
        IdentityInput.Normalise(shifted);
        for (int i = 0; i < Size; i++) Assert.Equal(face[i], shifted[i], 1e-3f);
        for (int c = 0; c < 3; c++)
        {
            var channel = face.Where((_, i) => i % 3 == c).ToArray();
            Assert.Equal(0, channel.Average(), 4);
            Assert.Equal(1, Math.Sqrt(channel.Average(v => v * v)), 3);
        }
    }

    [Fact]
    public void NormalisingAFlatFaceGivesZerosNotNaN()
    {
        var face = new float[Size];
        Array.Fill(face, 0.5f);
        IdentityInput.Normalise(face);
        Assert.All(face, v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(0.0f, IdentityCall.A)]
    [InlineData(0.2f, IdentityCall.A)]
    [InlineData(0.21f, IdentityCall.Neither)]
    [InlineData(0.5f, IdentityCall.Neither)]
    [InlineData(0.79f, IdentityCall.Neither)]
    [InlineData(0.8f, IdentityCall.B)]
    [InlineData(1.0f, IdentityCall.B)]
    public void AFaceIsBOnlyWithAClearMargin(float p, IdentityCall expected) => Assert.Equal(expected, IdentityJudge.Call(p));

    [Fact]
    public void TallyCountsEachCallAndTheMeanProbability()
    {
        var t = IdentityTally.Of([0.1f, 0.9f, 0.95f, 0.5f]);
        Assert.Equal((4, 1, 2, 1), (t.Count, t.A, t.B, t.Neither));
        Assert.Equal(0.6125, t.MeanProbabilityOfB, 6);
        Assert.Equal(0.5, t.ShareB);
    }

    [Fact]
    public void HalfAndHalfAveragesPairsAndCyclesTheShorterSet()
    {
        var a = new[] { Filled(0.2f), Filled(0.4f), Filled(0.6f) };
        var b = new[] { Filled(1f) };
        var blends = IdentityStress.HalfAndHalf(a, b);
        Assert.Equal(3, blends.Count);
        Assert.Equal([0.6f, 0.7f, 0.8f], blends.Select(f => f[0]));
        Assert.Equal(0.2f, a[0][0]); // inputs untouched
    }

    [Fact]
    public void ASeamBlursTheCentralSquareOutlinesItAndLeavesTheRestAndTheInputAlone()
    {
        var face = RandomFace(3);
        var seamed = IdentityStress.Seamed([face]).Single();
        const int size = IdentityInput.Size;
        int from = (size - (int)Math.Round(IdentityStress.SeamSquare * size)) / 2;
        float At(float[] f, int x, int y, int c) => f[(y * size + x) * 3 + c];
        Assert.Equal(At(face, 2, 2, 0), At(seamed, 2, 2, 0));                          // outside the square: untouched
        Assert.Equal(At(face, size - 3, size / 2, 1), At(seamed, size - 3, size / 2, 1));
        Assert.True(At(seamed, from, size / 2, 2) > At(seamed, from, size / 2, 0));  // the outline is bluish
        double Roughness(float[] f) => Enumerable.Range(from + 4, 20).Sum(x => Math.Abs(At(f, x, size / 2, 0) - At(f, x + 1, size / 2, 0)));
        Assert.True(Roughness(seamed) < 0.5 * Roughness(face));                         // inside: blurred
        Assert.Equal(RandomFace(3), face);                                               // input untouched
    }

    [Fact]
    public void ColourShiftGivesTheOtherSetsChannelMeans()
    {
        var a = Enumerable.Range(0, 4).Select(i => Tinted(RandomFace(i), 0.3f, 0.5f, 0.4f)).ToList();
        var b = Enumerable.Range(4, 4).Select(i => Tinted(RandomFace(i), 0.6f, 0.45f, 0.35f)).ToList();
        var shifted = IdentityStress.ColourShifted(a, b);
        for (int c = 0; c < 3; c++)
            Assert.Equal(ChannelMean(b, c), ChannelMean(shifted, c), 2);
    }

    [Fact]
    public void BlurringLeavesTheInputAlone()
    {
        var face = RandomFace(3);
        var copy = (float[])face.Clone();
        var blurred = IdentityStress.Blurred([face])[0];
        Assert.Equal(copy, face);
        Assert.NotEqual(copy, blurred);
    }

    [Fact]
    public void BatchesDependOnlyOnTheIterationAndAreNormalised()
    {
        var (a, b) = (Faces(0.3f), Faces(0.7f));
        var settings = new IdentityTrainSettings { BatchSize = 12, MixFraction = 0.5 };
        using var first = IdentityBatch.Make(a, b, settings, 7);
        using var again = IdentityBatch.Make(a, b, settings, 7);
        using var other = IdentityBatch.Make(a, b, settings, 8);
        Assert.Equal(first.Faces.Span.ToArray(), again.Faces.Span.ToArray());
        Assert.Equal(first.Targets.Span.ToArray(), again.Targets.Span.ToArray());
        Assert.NotEqual(first.Faces.Span.ToArray(), other.Faces.Span.ToArray());
        Assert.Equal([12, IdentityInput.Size, IdentityInput.Size, 3], first.Faces.Shape);
        for (int i = 0; i < 12; i++)
        {
            float t = first.Targets.Span[i];
            Assert.InRange(t, 0f, 1f);
            if (first.Plain[i]) Assert.True(t is 0f or 1f);
            var face = first.Faces.Span.Slice(i * Size, Size).ToArray();
            Assert.Equal(0, face.Where((_, k) => k % 3 == 0).Average(), 3);
        }
        Assert.Contains(false, first.Plain); // at MixFraction 0.5 some of 12 are blends
    }

    [Fact]
    public void TheClassifierGivesOneLogitPerFace()
    {
        var model = new IdentityClassifier(new Rng(1));
        using var scope = Doppel.Tensors.TensorScope.Begin();
        var logits = model.Forward(Doppel.Tensors.Tensor.Zeros(2, IdentityInput.Size, IdentityInput.Size, 3));
        Assert.Equal([2, 1], logits.Shape);
        Assert.InRange(model.ParameterCount, 80_000, 150_000);
    }

    [Fact]
    public void TheTaskRefusesFacesOfAnotherSize()
    {
        var small = TrainingFaces.FromCrops([new RgbImage(64, 64)], 32, 0.5);
        Assert.Throws<ArgumentException>(() => new IdentityTask(small, small, new IdentityTrainSettings(), new JsonObject()));
    }

    private static TrainingFaces Faces(float level)
    {
        var crops = Enumerable.Range(0, 3).Select(i =>
        {
            var image = new RgbImage(128, 128);
            var rng = new Rng((ulong)(i + 1));
            for (int k = 0; k < image.Data.Length; k++) image.Data[k] = (byte)Math.Clamp(255 * (level + 0.2 * (rng.NextDouble() - 0.5)), 0, 255);
            return image;
        }).ToList();
        return TrainingFaces.FromCrops(crops, IdentityInput.Size, IdentityInput.Coverage);
    }

    private static float[] RandomFace(int seed)
    {
        var face = new float[Size];
        new Rng((ulong)seed + 1).FillUniform(face, 0.2f, 0.8f);
        return face;
    }

    private static float[] Filled(float v)
    {
        var face = new float[Size];
        Array.Fill(face, v);
        return face;
    }

    private static float[] Tinted(float[] face, float r, float g, float b)
    {
        for (int i = 0; i < face.Length; i++) face[i] = face[i] * 0.3f + (i % 3 == 0 ? r : i % 3 == 1 ? g : b) - 0.15f;
        return face;
    }

    private static double ChannelMean(IEnumerable<float[]> faces, int c) => faces.SelectMany(f => f.Where((_, i) => i % 3 == c)).Average(v => (double)v);
}
