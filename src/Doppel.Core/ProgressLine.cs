using System.Globalization;
using System.Text.RegularExpressions;

namespace Doppel.Core;

/// <summary>
/// One plain progress line as <see cref="Progress.Format"/> writes it, read back: what a program
/// that runs doppel as a child process (Studio's jobs) shows as a progress bar, rate and ETA.
/// The format and this reader live side by side so they change together.
/// </summary>
public sealed partial record ProgressLine(string Label, long Count, long Total, string Unit, double? Rate, TimeSpan Elapsed, TimeSpan? Eta, bool Done)
{
    /// <summary>Count / total in [0, 1], or null when the total is unknown.</summary>
    public double? Fraction => Total > 0 ? Math.Clamp((double)Count / Total, 0, 1) : null;

    /// <summary>Reads a line of <see cref="Progress.Format"/>; false for any other line.</summary>
    public static bool TryParse(string line, out ProgressLine? progress)
    {
        progress = null;
        var m = Pattern().Match(line.TrimEnd());
        if (!m.Success) return false;
        long count = Number(m.Groups["count"].Value);
        long total = m.Groups["total"].Success ? Number(m.Groups["total"].Value) : 0;
        string unit = m.Groups["unit"].Success ? m.Groups["unit"].Value : m.Groups["rateunit"].Success ? m.Groups["rateunit"].Value : m.Groups["invunit"].Value;
        double? rate = m.Groups["rate"].Success ? Double(m.Groups["rate"].Value)
            : m.Groups["inv"].Success && Double(m.Groups["inv"].Value) is > 0 and var inv ? 1 / inv : null;
        progress = new ProgressLine(m.Groups["label"].Value, count, total, unit, rate, Duration(m.Groups["elapsed"].Value),
            m.Groups["eta"].Success ? Duration(m.Groups["eta"].Value) : null, m.Groups["done"].Success);
        return true;
    }

    // "train  1,200/5,000 (24.0%)  3.2 it/s  elapsed 06:15  eta 19:47"; "extract  40 frame  elapsed 00:02  done"
    [GeneratedRegex(@"^(?<label>\S+)  (?<count>[\d,]+)(?:/(?<total>[\d,]+) \([\d.]+%\)| (?<unit>\S+))(?:  (?:(?<rate>[\d.]+) (?<rateunit>\S+)/s|(?<inv>[\d.]+) s/(?<invunit>\S+)))?  elapsed (?<elapsed>[\d:]+)(?:  done(?<done>)|  eta (?<eta>[\d:]+))?$")]
    private static partial Regex Pattern();

    private static long Number(string text) => long.Parse(text.Replace(",", ""), CultureInfo.InvariantCulture);

    private static double Double(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static TimeSpan Duration(string text)
    {
        long seconds = 0;
        foreach (string part in text.Split(':')) seconds = seconds * 60 + long.Parse(part, CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(seconds);
    }
}
