using System.Text.Json.Nodes;
using Doppel.Media.Imaging;
using Doppel.Swap.Convert;
using Doppel.Swap.Models;
using Doppel.Swap.Tests.Convert;
using Doppel.Swap.Tests.Support;
using Doppel.Swap.Training;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Tests;

public class SwapModelFamilyTests
{
    private static readonly ConvPairSpec Pair = new(16, 4);
    private static readonly ModelRegistry Registry = new ModelRegistry().Add("tiny", TinyModels.Tiny).Add("pair", Pair);

    private static TrainerOptions Options(TempDir dir, long iterations, bool learnMask = false) => new()
    {
        FaceSetA = File.Exists(Path.Combine(dir.Sub("a"), "alignments.json")) ? dir.Sub("a") : SyntheticFaceSets.Write(dir.Sub("a"), 8, 32, 0, true),
        FaceSetB = File.Exists(Path.Combine(dir.Sub("b"), "alignments.json")) ? dir.Sub("b") : SyntheticFaceSets.Write(dir.Sub("b"), 8, 32, 1, true),
        ModelDir = dir.Sub("model"),
        Settings = new TrainSettings { Model = "pair", BatchSize = 2, LearningRate = 1e-3f, Seed = 3, LearnMask = learnMask },
        Models = Registry,
        Iterations = iterations,
        SaveEvery = 0,
        PreviewEvery = 0,
        Log = TextWriter.Null,
    };

    [Fact]
    public void AModelOfAnotherFamilyTrainsResumesAndConverts()
    {
        using var dir = new TempDir();
        var first = new SwapTrainer(Options(dir, 2, learnMask: true)).Run();
        var second = new SwapTrainer(Options(dir, 4, learnMask: true) with { Resume = true }).Run();
        Assert.Equal(4, second.Iteration);
        Assert.All(first.Losses.Concat(second.Losses), l => Assert.True(float.IsFinite(l.Item2) && float.IsFinite(l.Item3)));

        string stateJson = File.ReadAllText(Path.Combine(dir.Sub("model"), "checkpoint", CheckpointStore.StateFile));
        Assert.Equal("test-conv-pair", JsonNode.Parse(stateJson)!["extra"]!["Spec"]!["Family"]!.GetValue<string>());
        var loaded = SwapModelFile.Load(dir.Sub("model"));
        Assert.IsType<ConvPairModel>(loaded.Model);
        Assert.Equal(Pair, loaded.Spec);
        Assert.True(loaded.Model.LearnsMask);

        var swapped = new FaceSwapper(loaded.Model, Side.B).SwapWithMask(new RgbImage(16, 16));
        Assert.Equal(16, swapped.Face.Width);
        Assert.NotNull(swapped.Mask);
    }

    [Fact]
    public void ResumingUnderAModelNameOfAnotherFamilyIsRefused()
    {
        using var dir = new TempDir();
        new SwapTrainer(Options(dir, 1)).Run();
        var e = Assert.Throws<Doppel.Core.DoppelException>(() =>
            new SwapTrainer(Options(dir, 2) with { Resume = true, Models = new ModelRegistry().Add("pair", TinyModels.Tiny) }).Run());
        Assert.Contains("different 'pair' architecture", e.Message);
    }

    [Fact]
    public void AStateFileWithoutAFamilyReadsAsAnOriginalSpec()
    {
        // state.json as every checkpoint before model families: the Original's sizes, no "Family".
        using var dir = new TempDir();
        string folder = ConvertFixtures.RandomModel(dir.Sub("model"), TinyModels.Tiny, "tiny");
        string path = Path.Combine(folder, "checkpoint", CheckpointStore.StateFile);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        // The swap checkpoint's spec is in the shared state.json's "extra" section.
        Assert.Equal("original", json["extra"]!["Spec"]!["Family"]!.GetValue<string>());
        json["extra"]!["Spec"]!.AsObject().Remove("Family");
        File.WriteAllText(path, json.ToJsonString());

        var state = new CheckpointStore(folder).ReadLatest().State;
        Assert.Equal(TinyModels.Tiny, Assert.IsType<OriginalSpec>(state.Spec));
        Assert.IsType<OriginalModel>(SwapModelFile.Load(folder).Model);
    }

    [Fact]
    public void AnUnknownFamilyIsReportedAsSuch()
    {
        using var dir = new TempDir();
        string folder = ConvertFixtures.RandomModel(dir.Sub("model"), TinyModels.Tiny, "tiny");
        string path = Path.Combine(folder, "checkpoint", CheckpointStore.StateFile);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json["extra"]!["Spec"]!["Family"] = "from-the-future";
        File.WriteAllText(path, json.ToJsonString());
        var e = Assert.Throws<Doppel.Core.DoppelException>(() => new CheckpointStore(folder).ReadLatest());
        Assert.Contains("unknown model family 'from-the-future'", e.Message);
    }

    [Fact]
    public void TheOriginalThroughTheInterfaceIsTheOriginal()
    {
        // Encode + Decode through ISwapModel computes what the Original's own encoder and decoder do.
        var model = new OriginalModel(TinyModels.Tiny, new Rng(4), learnMask: true);
        ISwapModel swap = TinyModels.Tiny.Create(new Rng(4), learnMask: true);
        Assert.Equal(model.NamedParameters().Select(p => p.Name), swap.NamedParameters().Select(p => p.Name));
        Assert.Equal(model.ParameterCount, swap.ParameterCount);
        using var noGrad = GradMode.Off();
        using var scope = TensorScope.Begin();
        var x = Tensor.Empty(2, 16, 16, 3);
        new Rng(8).FillUniform(x.Span, 0f, 1f);
        var (face, mask) = swap.ForwardWithMask(x, Side.A);
        var (direct, directMask) = model.DecoderA.Decode(model.Encoder.Forward(x));
        Assert.Equal(direct.ToArray(), face.ToArray());
        Assert.Equal(directMask!.ToArray(), mask!.ToArray());
        Assert.Equal(model.DecoderB.Forward(model.Encoder.Forward(x)).ToArray(), swap.Forward(x, Side.B).ToArray());
    }
}
