using System.Text.Json.Serialization;
using Doppel.Swap.Models;

namespace Doppel.Swap.Training;

/// <summary>A face set as a checkpoint remembers it: where it was and what it held.</summary>
public sealed record FaceSetStamp(string Path, string Fingerprint, int Count);

/// <summary>
/// A swap checkpoint as the swap code reads it: what was trained, on what, for how long, and
/// what else is needed to continue exactly. Batches are drawn from generators seeded by
/// (seed, iteration, side) (see <see cref="Data.BatchBuilder"/>), so the seed and the iteration
/// are the whole random state of the data path. On disk it is the shared trainer's state.json
/// (<see cref="SwapCheckpoints"/> maps the two); before the shared trainer, this record itself
/// was state.json, in <see cref="LegacyFormat"/>, which still reads.
/// </summary>
public sealed record CheckpointState
{
    /// <summary>The format checkpoints are written in: the shared trainer's.</summary>
    public const string CurrentFormat = Doppel.Training.CheckpointManifest.CurrentFormat;

    /// <summary>The swap trainer's own format before the shared trainer (this record as JSON); read, no longer written.</summary>
    public const string LegacyFormat = "doppel-swap-checkpoint/1";

    /// <summary>The format the checkpoint was read from (<see cref="CurrentFormat"/> or <see cref="LegacyFormat"/>).</summary>
    public string Format { get; init; } = CurrentFormat;
    public required TrainSettings Settings { get; init; }

    /// <summary>
    /// The model's sizes, as its family's spec record (see <see cref="SwapModelSpecJson"/>: an
    /// Original-family spec is written as before plus <c>"Family": "original"</c>, and old files
    /// without the family read as Original).
    /// </summary>
    [JsonConverter(typeof(SwapModelSpecJson))]
    public required ISwapModelSpec Spec { get; init; }

    /// <summary>Completed iterations; the next batch to train on is number <see cref="Iteration"/>.</summary>
    public long Iteration { get; init; }

    public long AdamStep { get; init; }
    public string RngScheme { get; init; } = Data.BatchBuilder.SeedScheme;
    public required FaceSetStamp FaceSetA { get; init; }
    public required FaceSetStamp FaceSetB { get; init; }
    public string WeightsFile { get; init; } = "model.safetensors";
    public string OptimizerFile { get; init; } = "optimizer.safetensors";
    public DateTimeOffset SavedAt { get; init; }
    /// <summary>The losses of the last iteration; null when the session trained none (JSON has no NaN).</summary>
    public float? LastLossA { get; init; }
    public float? LastLossB { get; init; }
}
