using System.Diagnostics;

namespace Doppel.Core;

/// <summary>
/// Time spent per named stage of a pipeline, added from any thread. Each stage sums the time the
/// threads doing it spent there, so with several workers the stages add up to more than the
/// wall-clock time: the figures say where the cores go, not how long the user waited.
/// </summary>
public sealed class StageTimes<TStage> where TStage : struct, Enum
{
    private readonly long[] _ticks = new long[Enum.GetValues<TStage>().Length];

    public static long Now => Stopwatch.GetTimestamp();

    /// <summary>Adds the time from <paramref name="started"/> (a <see cref="Now"/>) to now; returns now, to chain stages.</summary>
    public long AddSince(TStage stage, long started)
    {
        long now = Stopwatch.GetTimestamp();
        Interlocked.Add(ref _ticks[Convert.ToInt32(stage, System.Globalization.CultureInfo.InvariantCulture)], now - started);
        return now;
    }

    public TimeSpan this[TStage stage] =>
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks[Convert.ToInt32(stage, System.Globalization.CultureInfo.InvariantCulture)]));

    public IEnumerable<(TStage Stage, TimeSpan Time)> All => Enum.GetValues<TStage>().Select(s => (s, this[s]));
}
