using System.Diagnostics;
using System.Text;

namespace Doppel.Tensors.Autograd;

/// <summary>
/// Optional per-op timing for benchmarks (off unless <see cref="Enabled"/>). A forward op is
/// charged the wall time since the previous op finished on this thread, which is exact for the
/// sequential forward pass of a model; backward functions are timed directly.
/// </summary>
public static class OpProfiler
{
    private static readonly Dictionary<string, (double Seconds, long Calls)> Totals = new();
    [ThreadStatic] private static long _lastTimestamp;

    public static bool Enabled { get; set; }

    /// <summary>Starts charging forward time from now (call before a forward pass).</summary>
    public static void Mark() => _lastTimestamp = Stopwatch.GetTimestamp();

    internal static void ChargeForward(string op)
    {
        long now = Stopwatch.GetTimestamp();
        if (_lastTimestamp != 0) Add(op + " (fwd)", Stopwatch.GetElapsedTime(_lastTimestamp, now).TotalSeconds);
        _lastTimestamp = now;
    }

    internal static Action<Tensor> TimeBackward(string op, Action<Tensor> backward) => g =>
    {
        long start = Stopwatch.GetTimestamp();
        backward(g);
        Add(op + " (bwd)", Stopwatch.GetElapsedTime(start).TotalSeconds);
    };

    /// <summary>Runs and, when profiling, charges a non-op phase such as the optimizer update.</summary>
    public static void Time(string name, Action action)
    {
        if (!Enabled) { action(); return; }
        long start = Stopwatch.GetTimestamp();
        action();
        Add(name, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    public static void Reset()
    {
        lock (Totals) Totals.Clear();
    }

    private static void Add(string key, double seconds)
    {
        lock (Totals)
        {
            Totals.TryGetValue(key, out var t);
            Totals[key] = (t.Seconds + seconds, t.Calls + 1);
        }
    }

    /// <summary>A table of ops by total time, largest first.</summary>
    public static string Report()
    {
        lock (Totals)
        {
            double all = Totals.Values.Sum(v => v.Seconds);
            var sb = new StringBuilder($"{"op",-28} {"seconds",9} {"share",6} {"calls",7}\n");
            foreach (var (op, (s, n)) in Totals.OrderByDescending(kv => kv.Value.Seconds))
                sb.Append($"{op,-28} {s,9:F3} {s / all,6:P0} {n,7}\n");
            return sb.ToString();
        }
    }
}
