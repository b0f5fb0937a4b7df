using Doppel.Core;
using Doppel.Forensics.Model;
using Doppel.Media.Imaging;
using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.Tests.Model;

public class FaceScorerTests
{
    private static readonly DetectorSpec Small = new() { InputSize = 32, Width = 4 };

    [Fact]
    public void AFaceAndItsMirrorImageGetTheSameScoreAndMirroredHeatmaps()
    {
        var net = new FakeDetectorNet(Small, new Rng(5));
        var faces = Tests.Support.RealFaces.Of("franck", 32).Take(2).Select(f => f.Image).ToList();
        var scores = FaceScorer.Score(net, faces, heatmaps: true);
        var mirrored = FaceScorer.Score(net, faces.Select(Mirror).ToList(), heatmaps: true);
        int m = Small.MaskSize;
        for (int i = 0; i < faces.Count; i++)
        {
            Assert.Equal(scores[i].Score, mirrored[i].Score, 5);
            for (int y = 0; y < m; y++)
                for (int x = 0; x < m; x++)
                    Assert.Equal(scores[i].Heatmap![y * m + x], mirrored[i].Heatmap![y * m + (m - 1 - x)], 5);
        }
    }

    [Fact]
    public void TheScoreIsTheMeanLogitOfTheFaceAndItsMirror()
    {
        // An untrained network is far from symmetric, so a scorer that skipped the mirror (or
        // mirrored the wrong axis) would give a different number.
        var net = new FakeDetectorNet(Small, new Rng(6));
        var face = Tests.Support.RealFaces.Of("franck", 32)[2].Image;
        float plain = SingleViewLogit(net, face), mirror = SingleViewLogit(net, Mirror(face));
        Assert.True(MathF.Abs(plain - mirror) > 1e-3f, "the test needs an asymmetric network");
        float expected = 1f / (1f + MathF.Exp(-0.5f * (plain + mirror)));
        Assert.Equal(expected, FaceScorer.Score(net, [face])[0].Score, 5);
    }

    private static float SingleViewLogit(FakeDetectorNet net, RgbImage face)
    {
        net.Eval();
        using var _ = Doppel.Tensors.Autograd.GradMode.Off();
        var x = Tensor.Empty(1, Small.InputSize, Small.InputSize, 3);
        DetectorInput.ToTensor(face, x.Span);
        return net.Forward(x).Logits.Span[0];
    }

    private static RgbImage Mirror(RgbImage image)
    {
        var result = new RgbImage(image.Width, image.Height);
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                var (r, g, b) = image.GetPixel(x, y);
                result.SetPixel(image.Width - 1 - x, y, r, g, b);
            }
        return result;
    }
}
