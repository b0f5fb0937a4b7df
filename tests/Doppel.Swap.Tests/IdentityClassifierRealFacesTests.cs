using System.Text.Json.Nodes;
using Doppel.Datasets.FaceSets;
using Doppel.Swap.Identity;
using Doppel.Swap.Tests.Support;
using Doppel.Training;
using Xunit.Abstractions;

namespace Doppel.Swap.Tests;

/// <summary>
/// The identity classifier trained for real on the two men of the sample videos (the landmark
/// fixtures' frames, spread over each video: even ones to train, odd ones held out), then asked
/// about held-out faces as they are, blurred, given the other man's colouring, pasted back with a
/// hard square seam, and blended half
/// and half: each must be called what it is, and a blend must not count as B. The benchmark
/// (bench swap) does the same on thousands of extracted faces; this is the small, fast version.
/// </summary>
public class IdentityClassifierRealFacesTests(ITestOutputHelper output)
{
    [Fact]
    public void RealFaces_TellsTheTwoMenApart_EvenBlurredOrRecoloured_AndABlendIsNotB()
    {
        using var dir = new TempDir();
        var (setA, setB) = RealFaceSets.Build(dir.Sub("sets"));
        var (trainA, testA) = Split(setA);
        var (trainB, testB) = Split(setB);
        var settings = new IdentityTrainSettings { BatchSize = 16, Iterations = 250, Width = 12 };

        var (judge, first) = Train(trainA, trainB, settings, dir.Sub("classifier"));
        var check = IdentityCheck.Run(judge, IdentityJudge.Faces(testA), IdentityJudge.Faces(testB));
        foreach (string line in check.Lines()) output.WriteLine(line);

        Assert.Equal(250, first.SessionIterations);
        Assert.True(check.Accuracy >= 0.9, $"held-out accuracy {check.Accuracy:P0}");
        Assert.True(check.BlurredA.ShareA >= 0.8 && check.BlurredB.ShareB >= 0.8, "blurred faces are still who they are");
        Assert.True(check.ShiftedA.ShareA >= 0.8 && check.ShiftedB.ShareB >= 0.8, "recoloured faces are still who they are");
        Assert.True(check.SeamedA.ShareB <= 0.1, $"{check.SeamedA.ShareB:P0} of A's faces with a square seam were called B");
        Assert.True(check.Blends.ShareB <= 0.2, $"{check.Blends.ShareB:P0} of 50/50 blends were called B");
        Assert.InRange(check.Blends.MeanProbabilityOfB, 0.2, 0.8);

        // A second run finds the checkpoint complete and reuses it: nothing trained, same answers.
        var (again, second) = Train(trainA, trainB, settings, dir.Sub("classifier"));
        Assert.Equal(0, second.SessionIterations);
        Assert.Equal(judge.ProbabilityOfB(IdentityJudge.Faces(testA)), again.ProbabilityOfB(IdentityJudge.Faces(testA)));
        // ...but not when it was trained otherwise.
        var e = Assert.Throws<Doppel.Core.DoppelException>(() => Train(trainA, trainB, settings with { Seed = 2 }, dir.Sub("classifier")));
        Assert.Contains("Seed", e.Message);
    }

    private static (IdentityJudge, TrainingResult) Train(TrainingFaces a, TrainingFaces b, IdentityTrainSettings settings, string dir)
    {
        var task = new IdentityTask(a, b, settings, new JsonObject { ["a"] = "franck even", ["b"] = "cap12 even" });
        var store = new CheckpointStore(dir);
        var result = new TrainingLoop<IdentityBatch>(task, new TrainingLoopOptions
        {
            OutputDir = dir, Iterations = settings.Iterations, Resume = store.Exists, SaveEvery = 0, PreviewEvery = 0, Log = TextWriter.Null,
        }, store).Run();
        return (new IdentityJudge(task.Classifier), result);
    }

    // Even-numbered faces to train on, odd ones held out.
    private static (TrainingFaces Train, TrainingFaces Test) Split(string set)
    {
        var crops = FaceSet.Open(set).CropPaths.Select(p => Doppel.Media.Png.PngReader.Read(p)).ToList();
        return (TrainingFaces.FromCrops(crops.Where((_, i) => i % 2 == 0).ToList(), IdentityInput.Size, IdentityInput.Coverage),
                TrainingFaces.FromCrops(crops.Where((_, i) => i % 2 == 1).ToList(), IdentityInput.Size, IdentityInput.Coverage));
    }
}
