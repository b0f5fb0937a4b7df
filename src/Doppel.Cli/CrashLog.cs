using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Doppel.Core;

namespace Doppel.Cli;

/// <summary>
/// Writes the full story of an unexpected exception to a file, so the console gets one line and
/// a bug report gets everything: command line, version, runtime, OS and the exception chain.
/// </summary>
public static class CrashLog
{
    /// <summary>Writes the report and returns its path.</summary>
    public static string Write(string logsDirectory, Exception exception, IReadOnlyList<string> args)
    {
        DateTime now = DateTime.UtcNow;
        string name = string.Create(CultureInfo.InvariantCulture, $"crash-{now:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
        string path = Path.Combine(logsDirectory, name);

        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"time:     {now:O}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"command:  doppel {string.Join(' ', args)}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"version:  {VersionInfo.Line}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"runtime:  {RuntimeInformation.FrameworkDescription} {RuntimeInformation.ProcessArchitecture}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"os:       {RuntimeInformation.OSDescription}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"cwd:      {Environment.CurrentDirectory}");
        sb.AppendLine();
        // Exception.ToString includes inner exceptions and every stack trace.
        sb.AppendLine(exception.ToString());

        AtomicFile.WriteAllText(path, sb.ToString());
        return path;
    }
}
