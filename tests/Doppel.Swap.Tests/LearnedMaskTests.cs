using Doppel.Core;
using Doppel.Swap.Convert;
using Doppel.Swap.Models;
using Doppel.Swap.Tests.Convert;
using Doppel.Swap.Tests.Support;
using Doppel.Swap.Training;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Swap.Tests;

/// <summary>The optional learned mask: a 1-channel branch beside each decoder's face (train --learn-mask, convert --mask learned).</summary>
public class LearnedMaskTests
{
    private static TrainerOptions Options(TempDir dir, string model, long iterations, bool learnMask, bool landmarks = true) =>
        TinyTraining.Options(dir, model, iterations, new TrainSettings { Model = "tiny", BatchSize = 4, LearningRate = 3e-3f, Seed = 7, LearnMask = learnMask }, landmarks);

    [Fact]
    public void TheBranchExistsOnlyWhenAskedAndLeavesTheOriginalParametersAlone()
    {
        // The Original itself: building it is cheap (weights are filled, nothing runs).
        var plain = new OriginalModel(OriginalSpec.Original, new Rng(3));
        var masked = new OriginalModel(OriginalSpec.Original, new Rng(3), learnMask: true);
        var plainNames = plain.NamedParameters().Select(p => (p.Name, Shape: string.Join("x", p.Tensor.Shape))).ToList();
        var maskedNames = masked.NamedParameters().Select(p => (p.Name, Shape: string.Join("x", p.Tensor.Shape))).ToList();

        Assert.False(plain.LearnsMask);
        Assert.DoesNotContain(plainNames, p => p.Name.Contains("mask"));
        Assert.Equal(82_060_000, plain.ParameterCount, tolerance: 5_000.0);
        // With the branch: every Original parameter, same name, same shape, same order, then 2 x (5x5x64x1 weights + 1 bias).
        var extra = maskedNames.Except(plainNames).ToList();
        Assert.Equal(plainNames, maskedNames.Where(p => !p.Name.Contains("to_mask")).ToList());
        Assert.Equal(4, extra.Count);
        Assert.All(extra, p => Assert.Matches(@"^decoder_[ab]\.to_mask\.", p.Name));
        Assert.Equal(2 * (5 * 5 * 64 + 1), masked.ParameterCount - plain.ParameterCount);
        // Same seed, same face weights: the branch draws from a generator of its own.
        var byName = masked.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor);
        foreach (var (name, a) in plain.NamedParameters())
            Assert.Equal(a.ToArray(), byName[name].ToArray());
    }

    [Fact]
    public void ThePlainModelHasNoMaskOutputAndTheMaskedOneHasOneChannel()
    {
        using var noGrad = GradMode.Off();
        using var scope = TensorScope.Begin();
        var x = Tensor.Full(0.5f, 2, 16, 16, 3);
        var (_, none) = new OriginalModel(TinyModels.Tiny, new Rng(1)).ForwardWithMask(x, Side.A);
        var (face, mask) = new OriginalModel(TinyModels.Tiny, new Rng(1), learnMask: true).ForwardWithMask(x, Side.B);
        Assert.Null(none);
        Assert.Equal([2, 16, 16, 3], face.Shape);
        Assert.Equal([2, 16, 16, 1], mask!.Shape);
    }

    [Fact]
    public void TrainingWithTheBranchReducesTheMaskLossAndResumesExactly()
    {
        using var dir = new TempDir();
        var straight = new SwapTrainer(Options(dir, "straight", 40, learnMask: true)).Run();
        Assert.Equal(40, straight.MaskLosses.Count);
        float first = (straight.MaskLosses[0].MaskA + straight.MaskLosses[0].MaskB) / 2;
        float last = straight.MaskLosses.TakeLast(5).Average(m => (m.MaskA + m.MaskB) / 2);
        Assert.True(last < 0.7f * first, $"mask BCE went from {first:F4} to {last:F4}");

        // The checkpoint remembers the branch: resume rebuilds it and continues the same run.
        var part = new SwapTrainer(Options(dir, "split", 20, learnMask: true)).Run();
        Assert.True(new CheckpointStore(dir.Sub("split")).ReadLatest().State.Settings.LearnMask);
        var rest = new SwapTrainer(Options(dir, "split", 40, learnMask: true) with { Resume = true }).Run();
        Assert.Equal(straight.Losses, part.Losses.Concat(rest.Losses).ToList());
        Assert.Equal(straight.MaskLosses, part.MaskLosses.Concat(rest.MaskLosses).ToList());

        // Switching the branch off on resume is a changed setting, refused with the reason.
        var e = Assert.Throws<DoppelException>(() => new SwapTrainer(Options(dir, "split", 41, learnMask: false) with { Resume = true }).Run());
        Assert.Contains("learn mask", e.Message);
    }

    [Fact]
    public void WithoutLandmarksThereIsNothingToLearnTheMaskFrom()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<DoppelException>(() => new SwapTrainer(Options(dir, "out", 2, learnMask: true, landmarks: false)).Run());
        Assert.Contains("--learn-mask", e.Message);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void ACheckpointWithTheBranchRoundTrips()
    {
        using var dir = new TempDir();
        var model = new OriginalModel(TinyModels.Tiny, new Rng(5), learnMask: true);
        var adam = new Adam(model.NamedParameters(), 1e-3f);
        new Rng(9).FillUniform(model.DecoderB.NamedParameters().First(p => p.Name.StartsWith("to_mask")).Tensor.Span, -1f, 1f);
        var state = new CheckpointState
        {
            Settings = new TrainSettings { Model = "tiny", LearnMask = true, MaskWeight = 0.5f },
            Spec = TinyModels.Tiny,
            FaceSetA = new FaceSetStamp("/a", "aaaa", 1),
            FaceSetB = new FaceSetStamp("/b", "bbbb", 1),
        };
        new CheckpointStore(dir.Path).Save(state, model.NamedParameters(), adam.State());

        var loaded = SwapModelFile.Load(dir.Path);
        Assert.True(loaded.Model.LearnsMask);
        Assert.Equal(0.5f, loaded.State.Settings.MaskWeight);
        Assert.Equal(model.NamedParameters().Select(p => p.Name), loaded.Model.NamedParameters().Select(p => p.Name));
        foreach (var ((_, a), (_, b)) in model.NamedParameters().Zip(loaded.Model.NamedParameters())) Assert.Equal(a.ToArray(), b.ToArray());
    }

    [Fact]
    public void ConvertDrawsWithTheLearnedMaskAndRefusesItForAModelWithout()
    {
        using var dir = new TempDir();
        string clip = ConvertFixtures.ClipWithAudio(dir.Path, 3);
        string masked = ConvertFixtures.RandomModel(dir.Sub("masked"), TinyModels.Tiny, "tiny", learnMask: true);
        string plain = ConvertFixtures.RandomModel(dir.Sub("plain"), TinyModels.Tiny, "tiny");
        Directory.CreateDirectory(dir.Sub("out"));

        ConvertJob Job(string model, string mask, string output) =>
            new(new ConvertOptions { Input = clip, ModelDir = model, Output = output, Mask = mask, MaxFrames = 2 }, TextWriter.Null) { Extractor = ConvertFixtures.Extractor };

        var learned = Job(masked, "learned", dir.Sub("out/learned.mp4")).Run();
        var hull = Job(masked, "hull", dir.Sub("out/hull.mp4")).Run();
        Assert.True(learned.FramesWithFaces >= 1);
        Assert.True(File.Exists(dir.Sub("out/learned.mp4")) && File.Exists(dir.Sub("out/hull.mp4")));
        Assert.NotEqual(File.ReadAllBytes(dir.Sub("out/learned.mp4")), File.ReadAllBytes(dir.Sub("out/hull.mp4")));
        Assert.Equal(hull.Frames, learned.Frames);

        var e = Assert.Throws<DoppelException>(() => Job(plain, "learned", dir.Sub("out/none.mp4")).Run());
        Assert.Contains("--learn-mask", e.Message);
        Assert.Contains("--mask hull", e.Hint);
        Assert.False(File.Exists(dir.Sub("out/none.mp4")));
    }

    [Fact]
    public void ThePreviewAddsTwoMaskRowsOnlyForAMaskedModel()
    {
        using var scope = TensorScope.Begin();
        var faces = Tensor.Full(0.5f, 2, 16, 16, 3);
        var plain = PreviewGrid.Render(new OriginalModel(TinyModels.Tiny, new Rng(1)), faces, faces);
        var masked = PreviewGrid.Render(new OriginalModel(TinyModels.Tiny, new Rng(1), learnMask: true), faces, faces);
        Assert.Equal(6 * 18 - 2, plain.Height);
        Assert.Equal(8 * 18 - 2, masked.Height);
    }
}
