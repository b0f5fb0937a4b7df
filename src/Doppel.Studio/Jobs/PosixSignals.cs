using System.Runtime.InteropServices;

namespace Doppel.Studio.Jobs;

/// <summary>
/// Sends SIGTERM to a child: doppel's commands turn it into a clean stop (training finishes the
/// iteration and saves, extract writes what it has). .NET has no API to send a signal, so this is
/// libc's kill(2).
/// </summary>
internal static partial class PosixSignals
{
    private const int SigTerm = 15;

    public static bool Terminate(int pid) => OperatingSystem.IsWindows() ? false : Kill(pid, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
