namespace Doppel.Training;

/// <summary>Where the loop writes each iteration's metrics (<see cref="CsvMetricsLog"/>, <see cref="JsonlMetricsLog"/>).</summary>
public interface IMetricsLog
{
    /// <param name="seconds">Wall time since the session started.</param>
    void Add(long iteration, double seconds, IReadOnlyDictionary<string, double> metrics);
}
