using Doppel.Forensics.Model;
using Doppel.Forensics.SelfBlend;
using Doppel.Forensics.Tests.Support;
using Doppel.Forensics.Training;
using Doppel.Training;

namespace Doppel.Forensics.Tests.Training;

/// <summary>A tiny detector on real faces of the sample videos: it learns to tell self-blends from their reals within seconds.</summary>
public class DetectorLearnsTests
{
    private static readonly DetectorSpec Tiny = new() { InputSize = 32, Width = 8 };

    private static List<DetectorFace> Faces(string video) =>
        RealFaces.Of(video, Tiny.InputSize).Select(f => new DetectorFace(f.Image, f.Landmarks, f.Video, true, f.Frame, false)).ToList();

    [Fact]
    public void ATinyDetectorSeparatesSelfBlendsFromReals()
    {
        // Train on cap12 and most of franck; judge on franck's last 10 faces (frames 3660 and
        // later, minutes apart from the training ones). The pair's shared jitter, resolution, noise and JPEG are off
        // so that a minute of training on a busy machine is enough.
        var blend = SelfBlendOptions.Default with { PairColor = ColorJitterOptions.Off, PairDownUpScaleProbability = 0, PairSharpenProbability = 0, PairNoiseProbability = 0, JpegProbability = 0 };
        var settings = new DetectorSettings { Spec = Tiny, Batch = 8, LearningRate = 5e-3f, H264Probability = 0, Seed = 2 };
        var franck = Faces("franck");
        var heldOut = franck.Skip(30).ToList();
        var validation = new DetectorValidation([.. Enumerable.Repeat(heldOut, 6).SelectMany(f => f)], settings.Seed, blend);
        var task = new DetectorTask(settings, Faces("cap12_edit").Concat(franck.Take(30)).ToList(), [], validation, new(), blend);
        double before = validation.Evaluate(task.Net).Auc;
        using var dir = new TempDir();
        var result = new TrainingLoop<DetectorBatch>(task, new TrainingLoopOptions
        {
            OutputDir = dir.Path, Iterations = 300, SaveEvery = 0, PreviewEvery = 0, Log = TextWriter.Null,
        }).Run();
        var after = validation.Evaluate(task.Net);
        var loss = result.Metrics.Series("score_loss").Select(p => p.Value).ToList();
        Assert.True(after.Auc > 0.7, $"held-out AUC {after.Auc:F3} (before training {before:F3})");
        Assert.True(loss.TakeLast(20).Average() < 0.8 * loss.Take(10).Average(), $"score loss {loss.Take(10).Average():F3} -> {loss.TakeLast(20).Average():F3}");
        Assert.True(File.Exists(Path.Combine(dir.Path, "preview.png")));
    }
}
