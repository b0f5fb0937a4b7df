using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Doppel.Core;
using Doppel.Swap.Models;
using Doppel.Training;

namespace Doppel.Swap.Training;

/// <summary>What a swap run trains on, as the checkpoint's "data" section.</summary>
internal sealed record SwapRunData(FaceSetStamp FaceSetA, FaceSetStamp FaceSetB);

/// <summary>
/// The rest of a swap checkpoint's identity, as its "extra" section: the model's sizes (its
/// family's spec record, with "Family"; see <see cref="SwapModelSpecJson"/>) and how batches are seeded.
/// </summary>
internal sealed record SwapRunExtra([property: JsonConverter(typeof(SwapModelSpecJson))] ISwapModelSpec Spec, string RngScheme);

/// <summary>
/// A swap checkpoint in the shared trainer's layout: task "swap", one module "model"
/// (model.safetensors), one optimiser "optimizer" (optimizer.safetensors, Adam), settings =
/// <see cref="TrainSettings"/>, data = the two face sets, extra = the spec and the RNG scheme,
/// last metrics loss_a and loss_b. The swap sections keep the property names of the format
/// before the shared trainer ("doppel-swap-checkpoint/1", PascalCase), which
/// <see cref="Store"/> still reads: the tensor files were already laid out this way, so an old
/// checkpoint resumes and converts as it did.
/// </summary>
public static class SwapCheckpoints
{
    public const string Kind = "swap";
    public const string ModelName = "model";
    public const string OptimizerName = "optimizer";

    /// <summary>The patch discriminator of --gan-power and its Adam, present only in runs that use it.</summary>
    public const string DiscriminatorName = "discriminator", DiscriminatorOptimizerName = "optimizer_d";

    // The swap sections' own names, as CheckpointState always wrote them.
    internal static readonly JsonSerializerOptions SectionJson = new();

    /// <summary>The checkpoints of a model folder, reading the current format and "doppel-swap-checkpoint/1".</summary>
    public static Doppel.Training.CheckpointStore Store(string modelDir) =>
        new(modelDir, new Dictionary<string, CheckpointUpgrade> { [CheckpointState.LegacyFormat] = Upgrade });

    internal static JsonObject Section<T>(T value) => (JsonObject)JsonSerializer.SerializeToNode(value, SectionJson)!;

    /// <summary>The shared manifest of a swap checkpoint state.</summary>
    public static CheckpointManifest ToManifest(CheckpointState state)
    {
        var last = new Dictionary<string, double>();
        if (state.LastLossA is { } a) last["loss_a"] = a;
        if (state.LastLossB is { } b) last["loss_b"] = b;
        return new CheckpointManifest
        {
            Task = Kind,
            Iteration = state.Iteration,
            SavedAt = state.SavedAt,
            Settings = Section(state.Settings),
            Data = Section(new SwapRunData(state.FaceSetA, state.FaceSetB)),
            Modules = [new ModuleEntry(ModelName, state.WeightsFile)],
            Optimizers = [new OptimizerEntry(OptimizerName, "Adam", state.OptimizerFile,
                new Dictionary<string, double> { ["step"] = state.AdamStep, ["lr"] = state.Settings.LearningRate })],
            LastMetrics = last,
            Extra = Section(new SwapRunExtra(state.Spec, state.RngScheme)),
        };
    }

    /// <summary>The swap view of a checkpoint read by the shared store; another kind of run is refused.</summary>
    public static CheckpointState ToState(SavedCheckpoint saved)
    {
        var m = saved.Manifest;
        string path = saved.PathOf(Doppel.Training.CheckpointStore.StateFile);
        if (m.Task != Kind)
            throw new DoppelException($"checkpoint {path} is not a Doppel swap checkpoint (it is from a '{m.Task}' run)",
                "point -o at a folder doppel train wrote, or train into a new folder");
        try
        {
            var data = m.Data.Deserialize<SwapRunData>(SectionJson) ?? throw new JsonException("no data section");
            var extra = m.Extra?.Deserialize<SwapRunExtra>(SectionJson) ?? throw new JsonException("no extra section (spec)");
            var model = m.Modules.FirstOrDefault(e => e.Name == ModelName) ?? throw new JsonException($"no module '{ModelName}'");
            var adam = m.Optimizers.FirstOrDefault(e => e.Name == OptimizerName) ?? throw new JsonException($"no optimizer '{OptimizerName}'");
            return new CheckpointState
            {
                Format = m.UpgradedFrom ?? m.Format,
                Settings = m.Settings.Deserialize<TrainSettings>(SectionJson) ?? throw new JsonException("no settings section"),
                Spec = extra.Spec ?? throw new JsonException("no spec"),
                RngScheme = extra.RngScheme,
                Iteration = m.Iteration,
                AdamStep = adam.Scalars.TryGetValue("step", out double step) ? (long)step : throw new JsonException("the optimizer has no step"),
                FaceSetA = data.FaceSetA ?? throw new JsonException("no face set A"),
                FaceSetB = data.FaceSetB ?? throw new JsonException("no face set B"),
                WeightsFile = model.File,
                OptimizerFile = adam.File,
                SavedAt = m.SavedAt,
                LastLossA = m.LastMetrics.TryGetValue("loss_a", out double a) ? (float)a : null,
                LastLossB = m.LastMetrics.TryGetValue("loss_b", out double b) ? (float)b : null,
            };
        }
        catch (JsonException e)
        {
            throw new DoppelException($"checkpoint {path} is damaged: {e.Message}", Doppel.Training.CheckpointStore.PreviousHintFor(saved.Dir), e);
        }
    }

    // "doppel-swap-checkpoint/1": CheckpointState itself, serialised with its own names.
    private static CheckpointManifest Upgrade(JsonObject legacy) =>
        ToManifest(legacy.Deserialize<CheckpointState>(SectionJson) ?? throw new JsonException("state.json is empty"));
}
