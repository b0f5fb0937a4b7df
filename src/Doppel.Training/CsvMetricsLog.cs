using System.Globalization;
using System.Text;
using Doppel.Core;

namespace Doppel.Training;

/// <summary>
/// A CSV metrics log: <c>iteration,seconds,&lt;metric&gt;,...</c>, one row per iteration,
/// appended as training goes. Seconds count from the start of the session.
/// <para>
/// Columns: with fixed columns (a view such as the swap trainer's loss.csv) only those are
/// written and other metrics are left out. Without, the columns are the metrics' names in the
/// order they first appear, and a name that appears later adds a column: the file is then
/// rewritten once (atomically) with the new header, earlier rows getting an empty cell, so a new
/// loss term is logged without touching the logger and every row still lines up with the header.
/// A metric missing from an iteration is an empty cell.
/// </para>
/// <para>
/// On resume the rows after the checkpoint's iteration (written after the last save by a session
/// that then crashed or diverged) and a torn last line are dropped, so the log continues exactly
/// where the checkpoint does and holds each iteration once.
/// </para>
/// </summary>
public sealed class CsvMetricsLog : IMetricsLog
{
    private readonly string _path;
    private readonly bool _fixed;
    private readonly List<string> _columns;
    private readonly Func<double, string> _format;

    /// <param name="path">The CSV file.</param>
    /// <param name="resumeAt">Continue an existing file, keeping its rows up to this iteration; null to start a new file.</param>
    /// <param name="columns">Fixed metric columns; null for columns that grow with the metrics.</param>
    /// <param name="format">Text of a metric value; <see cref="MetricNames.Shortest"/> by default.</param>
    public CsvMetricsLog(string path, long? resumeAt = null, IReadOnlyList<string>? columns = null, Func<double, string>? format = null)
    {
        _path = Path.GetFullPath(path);
        _fixed = columns is not null;
        _format = format ?? MetricNames.Shortest;
        if (columns is not null) foreach (string c in columns) MetricNames.Check(c);
        _columns = columns?.ToList() ?? [];
        if (resumeAt is { } keep && File.Exists(_path))
        {
            var (header, rows, changed) = Read(keep);
            if (!_fixed) _columns.AddRange(header.Skip(2).Where(c => !_columns.Contains(c)));
            if (changed || !header.SequenceEqual(Header())) Write(header, rows);
        }
        else
        {
            AtomicFile.WriteAllText(_path, string.Join(',', Header()) + "\n");
        }
    }

    public string FilePath => _path;

    /// <summary>The metric columns, in file order (after iteration and seconds).</summary>
    public IReadOnlyList<string> Columns => _columns;

    public void Add(long iteration, double seconds, IReadOnlyDictionary<string, double> metrics)
    {
        if (!_fixed)
        {
            var added = metrics.Keys.Where(k => !_columns.Contains(k)).ToList();
            if (added.Count > 0)
            {
                foreach (string name in added) MetricNames.Check(name);
                var (header, rows, _) = Read(long.MaxValue);
                _columns.AddRange(added);
                Write(header, rows);
            }
        }
        var line = new StringBuilder();
        line.Append(iteration.ToString(CultureInfo.InvariantCulture)).Append(',').Append(seconds.ToString("F2", CultureInfo.InvariantCulture));
        foreach (string c in _columns) line.Append(',').Append(metrics.TryGetValue(c, out double v) ? _format(v) : "");
        File.AppendAllText(_path, line.Append('\n').ToString());
    }

    private IEnumerable<string> Header() => new[] { MetricNames.Iteration, MetricNames.Seconds }.Concat(_columns);

    // The file's header and its complete rows up to iteration keepUpTo; changed when any were dropped.
    private (string[] Header, List<string[]> Rows, bool Changed) Read(long keepUpTo)
    {
        string text = File.Exists(_path) ? File.ReadAllText(_path) : "";
        var lines = text.Split('\n');
        // The last piece is "" after a final newline, or a line torn by a crash mid-append.
        bool changed = lines[^1].Length > 0;
        var complete = lines[..^1];
        string[] header = complete.Length > 0 ? complete[0].Split(',') : [MetricNames.Iteration, MetricNames.Seconds];
        var rows = new List<string[]>();
        foreach (string line in complete.Skip(1))
        {
            var cells = line.Split(',');
            if (!long.TryParse(cells[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long i) || i > keepUpTo) { changed = true; continue; }
            rows.Add(cells);
        }
        return (header, rows, changed);
    }

    // Rewrites the file with the current columns, moving each old cell under its column's name.
    private void Write(string[] oldHeader, List<string[]> rows)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < oldHeader.Length; i++) index.TryAdd(oldHeader[i], i);
        var header = Header().ToList();
        var sb = new StringBuilder().Append(string.Join(',', header)).Append('\n');
        foreach (var cells in rows)
        {
            sb.Append(string.Join(',', header.Select(h => index.TryGetValue(h, out int i) && i < cells.Length ? cells[i] : "")));
            sb.Append('\n');
        }
        AtomicFile.WriteAllText(_path, sb.ToString());
    }
}
