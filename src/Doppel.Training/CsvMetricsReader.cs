using System.Globalization;

namespace Doppel.Training;

/// <summary>The rows of a metrics CSV: column names (iteration and seconds first) and one row of values per iteration; an empty cell is NaN.</summary>
public sealed record MetricsTable(IReadOnlyList<string> Columns, IReadOnlyList<double[]> Rows);

/// <summary>
/// Reads what <see cref="CsvMetricsLog"/> writes, while it may be writing: the file is opened
/// shared, and a last line without its newline (an append in progress) is left for the next read.
/// </summary>
public static class CsvMetricsReader
{
    /// <summary>The rows after iteration <paramref name="after"/> (all rows for -1).</summary>
    public static MetricsTable Read(string path, long after = -1)
    {
        string text;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(stream))
            text = reader.ReadToEnd();
        var lines = text.Split('\n');
        if (lines.Length < 2) return new MetricsTable([MetricNames.Iteration, MetricNames.Seconds], []);
        string[] columns = lines[0].Split(',');
        var rows = new List<double[]>();
        foreach (string line in lines[1..^1])
        {
            var cells = line.Split(',');
            if (!long.TryParse(cells[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long iteration) || iteration <= after) continue;
            var row = new double[columns.Length];
            for (int i = 0; i < row.Length; i++)
                row[i] = i < cells.Length && double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
            rows.Add(row);
        }
        return new MetricsTable(columns, rows);
    }
}
