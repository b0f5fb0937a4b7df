using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Doppel.Training;

/// <summary>
/// A checkpoint's <c>state.json</c>: which run it is (kind, settings, data), how far it got, and
/// where every piece of its state is. Written last, so a folder with a readable state.json is a
/// complete checkpoint. <see cref="Format"/> names the layout; a reader refuses formats it does
/// not know instead of guessing.
/// </summary>
public sealed record CheckpointManifest
{
    /// <summary>The layout this version writes and reads.</summary>
    public const string CurrentFormat = "doppel-checkpoint/1";

    public string Format { get; init; } = CurrentFormat;

    /// <summary>The task's <see cref="ITrainingTask.Kind"/>.</summary>
    public required string Task { get; init; }

    /// <summary>Completed iterations; the next batch to train on is number <see cref="Iteration"/>.</summary>
    public long Iteration { get; init; }

    public DateTimeOffset SavedAt { get; init; }

    public JsonObject Settings { get; init; } = [];
    public JsonObject Data { get; init; } = [];
    public IReadOnlyList<ModuleEntry> Modules { get; init; } = [];
    public IReadOnlyList<OptimizerEntry> Optimizers { get; init; } = [];
    public IReadOnlyList<GeneratorEntry> Generators { get; init; } = [];

    /// <summary>The metrics of the last iteration before the save; empty when the run trained none.</summary>
    public IReadOnlyDictionary<string, double> LastMetrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The task's own state (<see cref="ITrainingTask.SaveExtra"/>), or null.</summary>
    public JsonObject? Extra { get; init; }

    /// <summary>The older format this manifest was converted from when read (not saved); null for the current one.</summary>
    [JsonIgnore]
    public string? UpgradedFrom { get; init; }
}

/// <summary>A module's state dict, in <see cref="File"/> of the checkpoint folder.</summary>
public sealed record ModuleEntry(string Name, string File);

/// <summary>
/// An optimiser: its class (a resume with another optimiser is refused), its state tensors in
/// <see cref="File"/>, and <see cref="Optimizer.ScalarState"/> (doubles, exact in JSON).
/// </summary>
public sealed record OptimizerEntry(string Name, string Type, string File, IReadOnlyDictionary<string, double> Scalars);

/// <summary>
/// A generator's state: the four xoshiro words as 16-digit hex strings (exact, and safe from JSON
/// readers that parse numbers as doubles) and the pending Box-Muller normal, if any.
/// </summary>
public sealed record GeneratorEntry(string Name, IReadOnlyList<string> State, double? PendingNormal);
