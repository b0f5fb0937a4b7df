using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Swap.Convert;
using Doppel.Swap.Tests.Support;
using Doppel.Swap.Training;
using Doppel.Training;
using CheckpointStore = Doppel.Swap.Training.CheckpointStore;

namespace Doppel.Swap.Tests;

/// <summary>
/// The swap trainer on the shared loop: checkpoints in the shared layout, old
/// "doppel-swap-checkpoint/1" folders still resume and convert, the metrics files beside loss.csv.
/// </summary>
public class SharedTrainerTests
{
    private static TrainerOptions Options(TempDir dir, string model, long iterations) => new()
    {
        FaceSetA = File.Exists(Path.Combine(dir.Sub("a"), "alignments.json")) ? dir.Sub("a") : SyntheticFaceSets.Write(dir.Sub("a"), 12, 32, 0),
        FaceSetB = File.Exists(Path.Combine(dir.Sub("b"), "alignments.json")) ? dir.Sub("b") : SyntheticFaceSets.Write(dir.Sub("b"), 10, 32, 1),
        ModelDir = dir.Sub(model),
        Settings = new TrainSettings { Model = "tiny", BatchSize = 4, LearningRate = 1e-3f, Seed = 7 },
        Models = TinyModels.Registry,
        Iterations = iterations,
        SaveEvery = 0,
        PreviewEvery = 0,
        Log = TextWriter.Null,
    };

    [Fact]
    public void AnOldFormatCheckpointResumesExactlyAndIsRewrittenInTheSharedFormat()
    {
        using var dir = new TempDir();
        var straight = new SwapTrainer(Options(dir, "straight", 6)).Run();
        var first = new SwapTrainer(Options(dir, "old", 3)).Run();
        string state = Path.Combine(dir.Sub("old"), "checkpoint", CheckpointStore.StateFile);
        File.WriteAllText(state, LegacyStateJson(new CheckpointStore(dir.Sub("old")).ReadLatest().State));
        Assert.Equal(CheckpointState.LegacyFormat, new CheckpointStore(dir.Sub("old")).ReadLatest().State.Format);

        // convert reads it as before...
        var file = SwapModelFile.Load(dir.Sub("old"));
        Assert.Equal(TinyModels.Tiny, file.Spec);
        // ...and training continues it as if it had never stopped.
        var second = new SwapTrainer(Options(dir, "old", 6) with { Resume = true }).Run();
        Assert.Equal(straight.Losses, first.Losses.Concat(second.Losses).ToList());
        var saved = JsonNode.Parse(File.ReadAllText(state))!.AsObject();
        Assert.Equal(CheckpointManifest.CurrentFormat, saved["format"]!.GetValue<string>());
        Assert.Equal(CheckpointState.CurrentFormat, new CheckpointStore(dir.Sub("old")).ReadLatest().State.Format);
    }

    [Fact]
    public void TheCheckpointIsASharedOneWithTheSwapLayout()
    {
        using var dir = new TempDir();
        new SwapTrainer(Options(dir, "out", 2)).Run();
        var saved = SwapCheckpoints.Store(dir.Sub("out")).ReadLatest();
        Assert.Equal("swap", saved.Manifest.Task);
        Assert.Equal([new ModuleEntry("model", "model.safetensors")], saved.Manifest.Modules);
        var adam = Assert.Single(saved.Manifest.Optimizers);
        Assert.Equal(("optimizer", "Adam", "optimizer.safetensors", 2.0), (adam.Name, adam.Type, adam.File, adam.Scalars["step"]));
        Assert.Equal(["model.safetensors", "optimizer.safetensors", "state.json"],
            Directory.GetFiles(saved.Dir).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(4, saved.Manifest.Settings["BatchSize"]!.GetValue<int>());
        Assert.True(saved.Manifest.LastMetrics["loss_a"] > 0);

        // metrics.csv and metrics.jsonl beside loss.csv, with the same losses.
        var loss = File.ReadAllLines(Path.Combine(dir.Sub("out"), "loss.csv"));
        var metrics = File.ReadAllLines(Path.Combine(dir.Sub("out"), "metrics.csv"));
        Assert.Equal("iteration,seconds,loss_a,loss_b", loss[0]);
        Assert.Equal("iteration,seconds,loss_a,loss_b", metrics[0]);
        Assert.Equal(3, metrics.Length);
        for (int i = 1; i < 3; i++)
            Assert.Equal(float.Parse(loss[i].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture),
                float.Parse(metrics[i].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(dir.Sub("out"), "metrics.jsonl")).Length);
    }

    [Fact]
    public void ACheckpointOfAnotherKindOfRunIsNotASwapModel()
    {
        using var dir = new TempDir();
        new SwapTrainer(Options(dir, "out", 1)).Run();
        string state = Path.Combine(dir.Sub("out"), "checkpoint", CheckpointStore.StateFile);
        var json = JsonNode.Parse(File.ReadAllText(state))!.AsObject();
        json["task"] = "gan";
        File.WriteAllText(state, json.ToJsonString());
        var e = Assert.Throws<DoppelException>(() => new CheckpointStore(dir.Sub("out")).ReadLatest());
        Assert.Contains("not a Doppel swap checkpoint", e.Message);
        Assert.Contains("'gan'", e.Message);
    }

    // What the swap trainer wrote before the shared trainer: CheckpointState itself, PascalCase,
    // indented, and a spec without a model family (families came later).
    private static string LegacyStateJson(CheckpointState state)
    {
        var node = JsonSerializer.SerializeToNode(state with { Format = CheckpointState.LegacyFormat })!.AsObject();
        node["Spec"]!.AsObject().Remove("Family");
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
