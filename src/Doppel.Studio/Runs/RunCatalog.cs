using System.Text.Json;
using Doppel.Core;
using Doppel.Studio.Security;
using Doppel.Training;

namespace Doppel.Studio.Runs;

/// <summary>A training run as the Training page lists it.</summary>
public sealed record RunSummary(
    string Name, string State, bool Live, long Iteration, long TargetIterations, double IterationsPerSecond, double ExamplesPerSecond,
    double? EtaSeconds, DateTimeOffset? UpdatedAt, bool HasCheckpoint, long? PreviewVersion, IReadOnlyDictionary<string, double>? LastMetrics,
    string? FaceSetA, string? FaceSetB, string? Task);

/// <summary>
/// The training runs in the workspace: every folder under <c>runs/</c> that <c>doppel train</c>
/// wrote into (a checkpoint, a metrics.csv or a status.json), whether Studio started it or the
/// command line did. Live state comes from the trainer's <see cref="RunStatus"/>; the curves from
/// its metrics.csv (<see cref="CsvMetricsReader"/>); the picture is its preview.png.
/// </summary>
public sealed class RunCatalog(Workspace workspace)
{
    public const string MetricsFile = "metrics.csv", PreviewFile = "preview.png";

    public IReadOnlyList<RunSummary> List()
    {
        var root = new DirectoryInfo(Path.Combine(workspace.Root, Workspace.Runs));
        return root.EnumerateDirectories()
            .Where(d => Workspace.IsPlainName(d.Name) && IsRun(d.FullName))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => Summary(d.Name, d.FullName))
            .ToList();
    }

    public RunSummary Get(string name) => Summary(name, Folder(name));

    /// <summary>The rows of metrics.csv after iteration <paramref name="after"/>.</summary>
    public MetricsTable Metrics(string name, long after = -1)
    {
        string file = Path.Combine(Folder(name), MetricsFile);
        return File.Exists(file) ? CsvMetricsReader.Read(file, after) : new MetricsTable([MetricNames.Iteration, MetricNames.Seconds], []);
    }

    public string Preview(string name)
    {
        string file = Path.Combine(Folder(name), PreviewFile);
        return File.Exists(file) ? file : throw new DoppelException($"run {name}: preview not found (yet)", "the trainer writes preview.png at its first preview");
    }

    public string Folder(string name)
    {
        if (!Workspace.IsPlainName(name)) throw new DoppelException($"'{name}' is not a run name", "pick a run from the list");
        string dir = workspace.Resolve($"{Workspace.Runs}/{name}");
        return Directory.Exists(dir) && IsRun(dir) ? dir : throw new DoppelException($"run not found: {name}", "start a training run first");
    }

    private static bool IsRun(string dir) =>
        Directory.Exists(Path.Combine(dir, "checkpoint")) || File.Exists(Path.Combine(dir, MetricsFile)) || File.Exists(Path.Combine(dir, RunStatus.FileName));

    private RunSummary Summary(string name, string dir)
    {
        var status = RunStatus.Read(dir);
        bool live = status?.IsLive ?? false;
        string state = status is null ? "unknown" : live ? "running" : status.State == "running" ? "stopped (process gone)" : status.State;
        var preview = new FileInfo(Path.Combine(dir, PreviewFile));
        return new RunSummary(name, state, live, status?.Iteration ?? LastLoggedIteration(dir), status?.TargetIterations ?? 0,
            status?.IterationsPerSecond ?? 0, status?.ExamplesPerSecond ?? 0, live ? status?.EtaSeconds : null, status?.UpdatedAt,
            Directory.Exists(Path.Combine(dir, "checkpoint")), preview.Exists ? preview.LastWriteTimeUtc.Ticks : null, status?.LastMetrics,
            CheckpointFaceSet(dir, "FaceSetA"), CheckpointFaceSet(dir, "FaceSetB"), CheckpointTask(dir));
    }

    // A run from before status.json: its iteration is the last complete row of metrics.csv (read from the end).
    private static long LastLoggedIteration(string dir)
    {
        string file = Path.Combine(dir, MetricsFile);
        if (!File.Exists(file)) return 0;
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(Math.Max(0, stream.Length - 4096), SeekOrigin.Begin);
        string tail = new StreamReader(stream).ReadToEnd();
        var lines = tail.Split('\n');
        for (int i = lines.Length - 2; i >= 0; i--)
            if (long.TryParse(lines[i].Split(',')[0], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long iteration)) return iteration;
        return 0;
    }

    // What the checkpoint trains (state.json's task: "swap", "gan", ...), so the page resumes it
    // with its own command; null before the first checkpoint or when unreadable.
    private static string? CheckpointTask(string dir)
    {
        string state = Path.Combine(dir, "checkpoint", "state.json");
        if (!File.Exists(state)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(state));
            return doc.RootElement.TryGetProperty("task", out var task) && task.ValueKind == JsonValueKind.String ? task.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    // The face set a swap checkpoint was trained on (state.json: data.FaceSetA.Path), by its name
    // under facesets/, so Resume can name it; null when it is elsewhere or unreadable.
    private string? CheckpointFaceSet(string dir, string side)
    {
        string state = Path.Combine(dir, "checkpoint", "state.json");
        if (!File.Exists(state)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(state));
            if (!doc.RootElement.TryGetProperty("data", out var data) || !data.TryGetProperty(side, out var set) || !set.TryGetProperty("Path", out var folder)) return null;
            string full = Path.GetFullPath(folder.GetString() ?? "");
            string sets = Path.Combine(workspace.Root, Workspace.FaceSets) + Path.DirectorySeparatorChar;
            return full.StartsWith(sets, StringComparison.Ordinal) && Workspace.IsPlainName(full[sets.Length..]) ? full[sets.Length..] : null;
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }
}
