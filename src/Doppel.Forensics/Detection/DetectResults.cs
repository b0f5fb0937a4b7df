using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Core;

namespace Doppel.Forensics.Detection;

/// <summary>
/// detect's machine-readable outputs (schema in docs/formats.md): <c>--json</c> with every input,
/// its tracks and their per-frame faces; <c>--csv</c> with one row per input. Both written
/// atomically.
/// </summary>
public static class DetectResults
{
    public const string Format = "doppel-detect/1";
    public const string ScoreMeaning = "0 = looks real, 1 = looks fake";
    public const string Pooling = "track score = mean of its frames' face scores; input score = highest score of a track with at least the minimum frames (3 for video, 1 for an image); likely-fake when the input score is at or above the threshold";

    public static readonly string[] CsvColumns =
    [
        "file", "kind", "verdict", "reason", "score", "threshold", "threshold_fpr", "model", "model_version",
        "frames_read", "frames_with_faces", "tracks", "c2pa", "c2pa_says_synthetic", "c2pa_summary",
    ];

    public static JsonObject ToJson(IReadOnlyList<InputVerdict> verdicts, DetectOptions options)
    {
        var inputs = new JsonArray();
        foreach (var v in verdicts) inputs.Add(ToJson(v));
        return new JsonObject
        {
            ["format"] = Format,
            ["scores"] = ScoreMeaning,
            ["pooling"] = Pooling,
            ["sampling"] = options.Fps is { } fps ? $"{fps.ToString(CultureInfo.InvariantCulture)} frames per second of video"
                : options.Frames == 0 ? "every frame" : $"{options.Frames} frames spread evenly over each video",
            ["inputs"] = inputs,
        };
    }

    public static JsonObject ToJson(InputVerdict v) => new()
    {
        ["file"] = v.Path,
        ["kind"] = v.Kind,
        ["verdict"] = InputVerdict.Name(v.Verdict),
        ["reason"] = v.Reason,
        ["score"] = v.Score is { } s ? Math.Round(s, 4) : null,
        ["threshold"] = Math.Round(v.Threshold, 4),
        ["thresholdFpr"] = v.ThresholdFpr,
        ["thresholdFprOn"] = v.ThresholdFpr is null ? null : v.ThresholdFprOn,
        ["model"] = v.Model,
        ["modelVersion"] = v.ModelVersion,
        ["framesRead"] = v.FramesRead,
        ["framesWithFaces"] = v.FramesWithFaces,
        ["durationSeconds"] = v.DurationSeconds,
        ["decidingTrack"] = v.DecidingTrack,
        ["provenance"] = new JsonObject
        {
            ["state"] = StateName(v.Provenance.State),
            ["saysSynthetic"] = v.Provenance.SaysSynthetic,
            ["sourceTypes"] = new JsonArray(v.Provenance.SourceTypes.Select(t => (JsonNode?)t).ToArray()),
            ["generator"] = v.Provenance.Generator,
            ["problem"] = v.Provenance.Problem,
            ["summary"] = v.Provenance.Describe(),
        },
        ["tracks"] = new JsonArray(v.Tracks.Select(t => (JsonNode?)new JsonObject
        {
            ["id"] = t.Id,
            ["score"] = Math.Round(t.Score, 4),
            ["frames"] = t.Faces.Count,
            ["faces"] = new JsonArray(t.Faces.Select(f => (JsonNode?)new JsonObject
            {
                ["frame"] = f.Frame,
                ["time"] = Math.Round(f.Seconds, 3),
                ["box"] = new JsonArray(Math.Round(f.Box.X, 1), Math.Round(f.Box.Y, 1), Math.Round(f.Box.Width, 1), Math.Round(f.Box.Height, 1)),
                ["score"] = Math.Round(f.Score, 4),
            }).ToArray()),
        }).ToArray()),
    };

    public static void WriteJson(string path, IReadOnlyList<InputVerdict> verdicts, DetectOptions options) =>
        AtomicFile.WriteAllText(path, ToJson(verdicts, options).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

    public static void WriteCsv(string path, IReadOnlyList<InputVerdict> verdicts)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', CsvColumns).Append('\n');
        foreach (var v in verdicts)
        {
            string[] row =
            [
                v.Path, v.Kind, InputVerdict.Name(v.Verdict), v.Reason ?? "", v.Score is { } s ? F(s) : "", F(v.Threshold),
                v.ThresholdFpr is { } fpr ? fpr.ToString("0.####", CultureInfo.InvariantCulture) : "", v.Model, v.ModelVersion,
                v.FramesRead.ToString(CultureInfo.InvariantCulture), v.FramesWithFaces.ToString(CultureInfo.InvariantCulture),
                v.Tracks.Count.ToString(CultureInfo.InvariantCulture), StateName(v.Provenance.State),
                v.Provenance.SaysSynthetic ? "yes" : "no", v.Provenance.Describe(),
            ];
            sb.AppendJoin(',', row.Select(Quote)).Append('\n');
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    public static string StateName(ProvenanceState state) => state switch
    {
        ProvenanceState.Valid => "valid",
        ProvenanceState.Invalid => "invalid",
        ProvenanceState.NoManifest => "none",
        _ => "unchecked",
    };

    private static string F(float v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    // RFC 4180: quote fields with commas, quotes or line breaks; double the quotes inside.
    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
