using System.Text.Json.Serialization;
using Doppel.Swap.Models;

namespace Doppel.Swap.Training;

/// <summary>A face set as a checkpoint remembers it: where it was and what it held.</summary>
public sealed record FaceSetStamp(string Path, string Fingerprint, int Count);

/// <summary>
/// The JSON beside a checkpoint's tensors (<c>state.json</c>): what was trained, on what, for how
/// long, and what else is needed to continue exactly. Batches are drawn from generators seeded by
/// (seed, iteration, side) (see <see cref="Data.BatchBuilder"/>), so the seed and the iteration
/// are the whole random state of the data path.
/// </summary>
public sealed record CheckpointState
{
    public const string CurrentFormat = "doppel-swap-checkpoint/1";

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
    public string RngScheme { get; init; } = "per batch: Rng(seed ^ iteration * 0xD1B54A32D192ED03 ^ (side B ? 0xA24BAED4963EE407 : 0))";
    public required FaceSetStamp FaceSetA { get; init; }
    public required FaceSetStamp FaceSetB { get; init; }
    public string WeightsFile { get; init; } = "model.safetensors";
    public string OptimizerFile { get; init; } = "optimizer.safetensors";
    public DateTimeOffset SavedAt { get; init; }
    /// <summary>The losses of the last iteration; null when the session trained none (JSON has no NaN).</summary>
    public float? LastLossA { get; init; }
    public float? LastLossB { get; init; }
}
