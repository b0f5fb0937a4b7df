using System.Runtime.InteropServices;

namespace Doppel.Cli.Commands.Bench;

/// <summary>
/// CPU time of the calling thread. The benchmark machines are shared and oversubscribed, so a
/// stage's wall time mostly measures the neighbours; its CPU time is what it would take on an
/// idle core. Linux only, like the rest of Doppel.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>Nanoseconds of CPU the calling thread has used so far.</summary>
    public static long Nanoseconds()
    {
        ClockGetTime(ClockThreadCpuTime, out TimeSpec t);
        return t.Seconds * 1_000_000_000L + t.Nanoseconds;
    }
}
