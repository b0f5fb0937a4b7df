using Doppel.Forensics.Model;
using Doppel.Forensics.SelfBlend;
using Doppel.Forensics.Tests.Support;
using Doppel.Forensics.Training;
using Doppel.Media.Imaging;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.Tests.Training;

/// <summary>What a training batch is made of: balanced face sets, and real fakes from --fake in the fake slots.</summary>
public class DetectorBatchTests
{
    private static readonly DetectorSpec Tiny = new() { InputSize = 32, Width = 8 };

    private static List<DetectorFace> Faces(string video, int set) =>
        RealFaces.Of(video, Tiny.InputSize).Select(f => new DetectorFace(f.Image, f.Landmarks, f.Video, true, f.Frame, false, set)).ToList();

    [Fact]
    public void EachFaceSetIsDrawnEquallyOftenWhateverItsSize()
    {
        var big = Faces("cap12_edit", 0);
        var small = Faces("franck", 1).Take(3).ToList();
        var sampler = new FaceSetSampler([.. big, .. small]);
        var rng = new Rng(5);
        int fromSmall = 0, draws = 4000;
        for (int i = 0; i < draws; i++) fromSmall += sampler.Next(rng).Set == 1 ? 1 : 0;
        Assert.Equal(2, sampler.SetCount);
        Assert.InRange(fromSmall / (double)draws, 0.46, 0.54); // uniform over faces would give 3 / (big + 3)
        Assert.True(big.Count >= 3 * small.Count, $"{big.Count} faces in the big set");
    }

    [Fact]
    public void RealFakesTakeTheFakeSlotsWithoutABoundaryTarget()
    {
        // A flat grey "fake" stays nearly flat through the pair's changes, unlike a face, so it
        // can be recognised in the batch; its blend boundary is unknown, so its mask weight is 0.
        var grey = new RgbImage(Tiny.InputSize, Tiny.InputSize);
        Array.Fill(grey.Data, (byte)128);
        var fakes = new List<DetectorFace> { new(grey, null, "/fakes/grey.png", false, 0, IsFake: true) };
        var settings = new DetectorSettings { Spec = Tiny, Batch = 6, H264Probability = 0, RealFakeShare = 1, Seed = 3 };
        var blend = SelfBlendOptions.Default with { PairNoiseProbability = 0 };
        var train = Faces("cap12_edit", 0);
        var task = new DetectorTask(settings, train, fakes, new DetectorValidation(train.Take(4).ToList(), 3, blend), new(), blend);
        using var batch = task.MakeBatch(0);
        int s = Tiny.InputSize, m = Tiny.MaskSize, pixels = s * s * 3;
        for (int i = 0; i < 2 * settings.Batch; i++)
        {
            bool fake = i % 2 == 1;
            Assert.Equal(fake ? 1f : 0f, batch.Labels.Span[i]);
            var weights = batch.MaskWeights.Span.Slice(i * m * m, m * m).ToArray();
            Assert.All(weights, w => Assert.Equal(fake ? 0f : 1f, w));
            var image = batch.Images.Span.Slice(i * pixels, pixels).ToArray();
            double spread = Enumerable.Range(0, 3).Max(c => Spread(image.Where((_, k) => k % 3 == c).ToArray()));
            if (fake) Assert.True(spread < 0.1, $"slot {i}: spread {spread:F3}, not the flat real fake");
            else Assert.True(spread > 0.2, $"slot {i}: spread {spread:F3}, not a face");
        }
    }

    private static double Spread(float[] values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }
}
