namespace Doppel.Training;

/// <summary>
/// The metrics of a session's iterations, in memory for the caller (tests, summaries, the demo's
/// report). Stored compactly (one array of values per iteration, NaN where an iteration did not
/// report a metric) because long runs have many iterations.
/// </summary>
public sealed class MetricsHistory
{
    private readonly List<string> _names = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<long> _iterations = [];
    private readonly List<double[]> _values = [];

    /// <summary>Every metric name seen, in the order of first appearance.</summary>
    public IReadOnlyList<string> Names => _names;

    public int Count => _iterations.Count;

    public long IterationAt(int row) => _iterations[row];

    /// <summary>Row <paramref name="row"/>'s metrics (only those it reported).</summary>
    public IReadOnlyDictionary<string, double> Row(int row)
    {
        var values = _values[row];
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int i = 0; i < values.Length; i++)
            if (!double.IsNaN(values[i])) result[_names[i]] = values[i];
        return result;
    }

    /// <summary>The last iteration's metrics; empty when the session trained none.</summary>
    public IReadOnlyDictionary<string, double> Last => Count == 0 ? new Dictionary<string, double>() : Row(Count - 1);

    /// <summary>One metric over the iterations that reported it.</summary>
    public IReadOnlyList<(long Iteration, double Value)> Series(string name)
    {
        var result = new List<(long, double)>();
        if (!_index.TryGetValue(name, out int i)) return result;
        for (int r = 0; r < Count; r++)
            if (i < _values[r].Length && !double.IsNaN(_values[r][i])) result.Add((_iterations[r], _values[r][i]));
        return result;
    }

    /// <summary>Records an iteration's metrics (finite values: the loop's guard has checked them).</summary>
    public void Add(long iteration, IReadOnlyDictionary<string, double> metrics)
    {
        foreach (string name in metrics.Keys)
            if (_index.TryAdd(name, _names.Count)) _names.Add(name);
        var values = new double[_names.Count];
        Array.Fill(values, double.NaN);
        foreach (var (name, value) in metrics) values[_index[name]] = value;
        _iterations.Add(iteration);
        _values.Add(values);
    }
}
