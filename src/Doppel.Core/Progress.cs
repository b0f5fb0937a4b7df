using System.Globalization;
using System.Text;

namespace Doppel.Core;

/// <summary>
/// A console progress line for long loops (frames extracted, training steps): label, count/total,
/// rate, elapsed time and ETA. On a terminal the line is redrawn in place, at most every
/// <see cref="RedrawInterval"/>, because repainting on every item would cost more than the work
/// for fast loops. When output is not a terminal (CI logs, pipes) carriage returns would make a
/// mess, so it prints a plain line at the start, every <see cref="PlainInterval"/>, and at the end.
/// Safe to call from several threads.
/// </summary>
/// <example>
/// <code>
/// using var progress = new Progress("extract", total: frames.Count, unit: "frame");
/// foreach (var frame in frames) { Process(frame); progress.Advance(); }
/// </code>
/// </example>
public sealed class Progress : IDisposable
{
    private readonly object gate = new();
    private readonly TextWriter output;
    private readonly TimeProvider clock;
    private readonly long startTimestamp;
    private long count;
    private long lastDrawTimestamp;
    private bool drawn;
    private bool finished;

    /// <param name="label">What is being counted, shown first ("train", "extract").</param>
    /// <param name="total">Expected count, or 0 when unknown (then no percentage or ETA).</param>
    /// <param name="unit">Singular unit for the rate ("frame" gives "12.5 frame/s").</param>
    /// <param name="output">Where to draw; standard output by default.</param>
    /// <param name="interactive">Redraw in place; by default true only for a standard output that is a terminal.</param>
    /// <param name="clock">Time source, replaceable in tests.</param>
    public Progress(string label, long total = 0, string unit = "item", TextWriter? output = null, bool? interactive = null, TimeProvider? clock = null)
    {
        Label = label;
        Total = Math.Max(0, total);
        Unit = unit;
        this.output = output ?? Console.Out;
        Interactive = interactive ?? (output is null && IsTerminal());
        this.clock = clock ?? TimeProvider.System;
        startTimestamp = this.clock.GetTimestamp();
    }

    public string Label { get; }
    public long Total { get; }
    public string Unit { get; }
    public bool Interactive { get; }

    /// <summary>Minimum time between redraws on a terminal (5 per second by default).</summary>
    public TimeSpan RedrawInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Time between plain lines when not on a terminal: 10 s, or <c>DOPPEL_PROGRESS_SECONDS</c>
    /// when set (Studio sets 1 for the jobs it runs, to show their progress as it happens).
    /// </summary>
    public TimeSpan PlainInterval { get; init; } = DefaultPlainInterval();

    public long Count => Interlocked.Read(ref count);

    public TimeSpan Elapsed => clock.GetElapsedTime(startTimestamp);

    /// <summary>Counts <paramref name="by"/> more items done.</summary>
    public void Advance(long by = 1)
    {
        Interlocked.Add(ref count, by);
        MaybeDraw();
    }

    /// <summary>Sets the absolute count (for loops that know their position, e.g. a resumed training run).</summary>
    public void Set(long value)
    {
        Interlocked.Exchange(ref count, value);
        MaybeDraw();
    }

    /// <summary>Prints a message on its own line without leaving a half-drawn progress line behind it.</summary>
    public void Log(string message)
    {
        lock (gate)
        {
            if (Interactive && drawn && !finished)
            {
                output.Write("\r\u001b[K" + message + "\n");
                output.Write("\r" + Fit(Format(Label, Count, Total, Unit, Elapsed, finished: false)) + "\u001b[K");
            }
            else
            {
                output.WriteLine(message);
            }
            output.Flush();
        }
    }

    /// <summary>Draws the final line (with the total time) and ends it. Idempotent; called by Dispose.</summary>
    public void Finish()
    {
        lock (gate)
        {
            if (finished) return;
            finished = true;
            string line = Format(Label, Count, Total, Unit, Elapsed, finished: true);
            output.Write(Interactive ? "\r" + Fit(line) + "\u001b[K\n" : line + "\n");
            output.Flush();
        }
    }

    public void Dispose() => Finish();

    /// <summary>
    /// The status text (<see cref="ProgressLine.TryParse"/> reads it back), e.g. "train  1,200/5,000 (24.0%)  3.2 step/s  elapsed 06:15  eta 19:47".
    /// Slow rates read better inverted, so below one unit per second it shows "4.1 s/step".
    /// </summary>
    public static string Format(string label, long count, long total, string unit, TimeSpan elapsed, bool finished)
    {
        var sb = new StringBuilder(label).Append("  ");
        sb.Append(count.ToString("N0", CultureInfo.InvariantCulture));
        if (total > 0)
        {
            sb.Append('/').Append(total.ToString("N0", CultureInfo.InvariantCulture));
            sb.Append(CultureInfo.InvariantCulture, $" ({100.0 * count / total:0.0}%)");
        }
        else
        {
            sb.Append(' ').Append(unit);
        }

        double seconds = elapsed.TotalSeconds;
        double rate = seconds > 0 ? count / seconds : 0;
        if (count > 0 && seconds > 0)
        {
            sb.Append("  ");
            if (rate >= 1) sb.Append(CultureInfo.InvariantCulture, $"{rate:0.0} {unit}/s");
            else sb.Append(CultureInfo.InvariantCulture, $"{1 / rate:0.0} s/{unit}");
        }

        sb.Append("  elapsed ").Append(Duration(elapsed));
        if (finished) sb.Append("  done");
        else if (total > 0 && rate > 0 && count < total) sb.Append("  eta ").Append(Duration(TimeSpan.FromSeconds((total - count) / rate)));
        return sb.ToString();
    }

    /// <summary>"mm:ss" under an hour, "h:mm:ss" above, and days as hours (training runs get long).</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        long totalSeconds = (long)span.TotalSeconds;
        long hours = totalSeconds / 3600, minutes = totalSeconds / 60 % 60, secs = totalSeconds % 60;
        return hours > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:00}:{secs:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{minutes:00}:{secs:00}");
    }

    private void MaybeDraw()
    {
        lock (gate)
        {
            if (finished) return;
            long now = clock.GetTimestamp();
            TimeSpan interval = Interactive ? RedrawInterval : PlainInterval;
            // The first report always draws, so a log shows that the loop started.
            if (drawn && clock.GetElapsedTime(lastDrawTimestamp, now) < interval) return;
            drawn = true;
            lastDrawTimestamp = now;
            string line = Format(Label, Count, Total, Unit, clock.GetElapsedTime(startTimestamp, now), finished: false);
            output.Write(Interactive ? "\r" + Fit(line) + "\u001b[K" : line + "\n");
            output.Flush();
        }
    }

    // A line wider than the terminal wraps, and '\r' then only returns to the start of the last
    // row, so every redraw would leave a stale row behind. Cut it to the width instead.
    private string Fit(string line)
    {
        int width;
        try { width = Console.WindowWidth; } catch (IOException) { return line; } catch (PlatformNotSupportedException) { return line; }
        return width > 1 && line.Length >= width ? line[..(width - 1)] : line;
    }

    private static TimeSpan DefaultPlainInterval() =>
        double.TryParse(Environment.GetEnvironmentVariable("DOPPEL_PROGRESS_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0 && s < 3600
            ? TimeSpan.FromSeconds(s)
            : TimeSpan.FromSeconds(10);

    private static bool IsTerminal() =>
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not "dumb";
}
