using System.Runtime.InteropServices;

/// <summary>
/// CPU time rather than wall time: on a shared, oversubscribed machine a 20 ms job is preempted
/// many times and its wall time says more about the neighbours than about the code. Thread CPU
/// time is what the same single-threaded work would take on an idle core.
/// </summary>
internal static partial class CpuClock
{
    private const int ClockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID on Linux
    private const int RusageChildren = -1;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Seconds; public long Nanoseconds; }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal { public long Seconds; public long Microseconds; }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public TimeVal User;
        public TimeVal System;
        // 14 longs of counters follow; only the times are read.
        public long F0, F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F13;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRUsage(int who, out RUsage usage);

    /// <summary>CPU seconds the calling thread has used.</summary>
    public static double ThreadSeconds()
    {
        ClockGetTime(ClockThreadCpuTime, out TimeSpec t);
        return t.Seconds + t.Nanoseconds * 1e-9;
    }

    /// <summary>CPU seconds (user + system) of all child processes that have exited and been waited for.</summary>
    public static double ChildrenSeconds()
    {
        GetRUsage(RusageChildren, out RUsage u);
        return u.User.Seconds + u.User.Microseconds * 1e-6 + u.System.Seconds + u.System.Microseconds * 1e-6;
    }
}
