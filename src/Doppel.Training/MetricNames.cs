using System.Globalization;
using System.Text.RegularExpressions;

namespace Doppel.Training;

/// <summary>
/// The rules for metric names and values in the logs. A name is a CSV header cell and a JSON key,
/// so it is letters, digits, '_', '.' or '-' ("loss_a", "d.real", "acc-val"); "iteration" and
/// "seconds" are the logs' own columns.
/// </summary>
public static partial class MetricNames
{
    public const string Iteration = "iteration";
    public const string Seconds = "seconds";

    public static void Check(string name)
    {
        if (!Safe().IsMatch(name))
            throw new InvalidOperationException($"metric name '{name}' cannot be a log column: use letters, digits, '_', '.', '-'");
        if (name is Iteration or Seconds)
            throw new InvalidOperationException($"metric name '{name}' is one of the logs' own columns");
    }

    /// <summary>
    /// The shortest text that reads back exactly: for a value that is a float (most losses are),
    /// a float's own digits, which read back as the same float (0.12345679, not
    /// 0.12345679104328156); for any other value, a double's, which read back as the same double.
    /// </summary>
    public static string Shortest(double value) =>
        (double)(float)value == value
            ? ((float)value).ToString("R", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")]
    private static partial Regex Safe();
}
