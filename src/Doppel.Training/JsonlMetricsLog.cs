using System.Text;
using System.Text.Json;
using Doppel.Core;

namespace Doppel.Training;

/// <summary>
/// A JSON-lines metrics log: one object per iteration, <c>{"iteration":1,"seconds":0.53,
/// "loss_a":0.1234,...}</c>, with exactly the metrics of that iteration (no columns to keep in
/// line, so a new metric simply appears). Values are written as the shortest text that reads
/// back exactly (as a float for float-valued metrics, see <see cref="MetricNames.Shortest"/>). On resume, lines after the checkpoint's iteration and unreadable (torn) lines
/// are dropped, as in <see cref="CsvMetricsLog"/>.
/// </summary>
public sealed class JsonlMetricsLog : IMetricsLog
{
    private readonly string _path;

    /// <param name="resumeAt">Continue an existing file, keeping its lines up to this iteration; null to start a new file.</param>
    public JsonlMetricsLog(string path, long? resumeAt = null)
    {
        _path = Path.GetFullPath(path);
        if (resumeAt is { } keep && File.Exists(_path)) Trim(keep);
        else AtomicFile.WriteAllText(_path, "");
    }

    public string FilePath => _path;

    public void Add(long iteration, double seconds, IReadOnlyDictionary<string, double> metrics)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber(MetricNames.Iteration, iteration);
            w.WriteNumber(MetricNames.Seconds, Math.Round(seconds, 3));
            foreach (var (name, value) in metrics)
            {
                // A float-valued metric as a float: its own shortest digits, the same float on reading back.
                if ((double)(float)value == value) w.WriteNumber(name, (float)value);
                else w.WriteNumber(name, value);
            }
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
        file.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private void Trim(long keepUpTo)
    {
        var lines = File.ReadAllText(_path).Split('\n');
        bool changed = lines[^1].Length > 0; // a torn last line
        var kept = new StringBuilder();
        foreach (string line in lines[..^1])
        {
            if (IterationOf(line) is { } i && i <= keepUpTo) kept.Append(line).Append('\n');
            else changed = true;
        }
        if (changed) AtomicFile.WriteAllText(_path, kept.ToString());
    }

    private static long? IterationOf(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(MetricNames.Iteration, out var it) && it.TryGetInt64(out long i) ? i : null;
        }
        catch (JsonException) { return null; }
    }
}
