using System.Text.Json.Nodes;
using Doppel.Core;

namespace Doppel.Training;

/// <summary>
/// The default refusal of a resume that would not continue the same run: the saved settings
/// and data are compared with the task's, leaf by leaf (dotted paths), and every difference is
/// named as "path: saved -> now".
/// </summary>
public static class ResumeCheck
{
    public static void Default(ITrainingTask task, SavedCheckpoint saved)
    {
        var settings = Differences(saved.Manifest.Settings, task.Settings).ToList();
        if (settings.Count > 0)
            throw new DoppelException($"resuming would change the run's settings ({string.Join("; ", settings)})",
                "leave those options out to keep the checkpoint's values, or train into another folder (-o)");
        var data = Differences(saved.Manifest.Data, task.Data).ToList();
        if (data.Count > 0)
            throw new DoppelException($"the data is not what the checkpoint in {saved.Dir} was trained on ({string.Join("; ", data)})",
                "resume with the same data; to train on other data, start a new folder (-o)");
    }

    /// <summary>Every leaf that differs between two JSON objects, as "a.b: saved -> now" ("(none)" where one side lacks it).</summary>
    public static IEnumerable<string> Differences(JsonObject saved, JsonObject now)
    {
        var a = Flatten(saved);
        var b = Flatten(now);
        foreach (var (path, value) in a)
        {
            string other = b.TryGetValue(path, out var v) ? v : "(none)";
            if (other != value) yield return $"{path}: {value} -> {other}";
        }
        foreach (var (path, value) in b)
            if (!a.ContainsKey(path)) yield return $"{path}: (none) -> {value}";
    }

    // Objects are walked; arrays and values are leaves, compared by their JSON text.
    private static Dictionary<string, string> Flatten(JsonObject root)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string path)
        {
            if (node is JsonObject o && o.Count > 0)
                foreach (var (k, child) in o) Walk(child, path.Length == 0 ? k : path + "." + k);
            else
                leaves[path] = node is JsonValue v && v.TryGetValue(out string? s) ? s : node?.ToJsonString() ?? "null";
        }
        foreach (var (k, child) in root) Walk(child, k);
        return leaves;
    }
}
