using System.Globalization;
using System.Text;
using Doppel.Core;

namespace Doppel.Training;

/// <summary>
/// What the status line at a preview or checkpoint shows: the iteration, its metrics, the speed
/// (after the session's first iteration, which pays for JIT and buffer pools), the time left to
/// whichever limit comes first, and what just happened.
/// </summary>
public sealed record TrainingStatus(
    long Iteration,
    IReadOnlyDictionary<string, double> Metrics,
    double IterationsPerSecond,
    double ExamplesPerSecond,
    TimeSpan? Remaining,
    bool Preview,
    bool Checkpoint)
{
    /// <summary>"  eta 12:34", or "" when no limit is set.</summary>
    public string EtaText => Remaining is { } r ? "  eta " + Progress.Duration(r) : "";

    /// <summary>", preview", ", checkpoint", both or "".</summary>
    public string EventsText => (Preview ? ", preview" : "") + (Checkpoint ? ", checkpoint" : "");

    /// <summary>"12.3 examples/s", or "4.5 it/s" for a task that does not count examples.</summary>
    public string RateText => ExamplesPerSecond > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{ExamplesPerSecond:F1} examples/s")
        : string.Create(CultureInfo.InvariantCulture, $"{IterationsPerSecond:F2} it/s");

    /// <summary>The default line: "iteration 200: loss 0.1234, acc 0.9100, 12.3 examples/s  eta 01:23, checkpoint".</summary>
    public string Format()
    {
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"iteration {Iteration}:");
        foreach (var (name, value) in Metrics) sb.Append(CultureInfo.InvariantCulture, $" {name} {value:F4},");
        return sb.Append(' ').Append(RateText).Append(EtaText).Append(EventsText).ToString();
    }
}
