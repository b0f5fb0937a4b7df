using System.Diagnostics;
using System.Reflection;

namespace Doppel.Studio.Jobs;

/// <summary>
/// How a job starts the doppel CLI: an executable and the arguments that come before the verb
/// (<c>dotnet doppel.dll</c>, or the apphost <c>doppel</c> alone). Arguments are always passed as
/// a list (<see cref="ProcessStartInfo.ArgumentList"/>), never through a shell or a command string,
/// so nothing a request sends can become a shell command.
/// </summary>
public sealed record DoppelLauncher(string FileName, IReadOnlyList<string> PrefixArguments)
{
    /// <summary>The CLI of the running process: the apphost itself, or <c>dotnet</c> with the entry assembly.</summary>
    public static DoppelLauncher CurrentProcess()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("the process path is unknown");
        string entry = Assembly.GetEntryAssembly()?.Location ?? "";
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && entry.Length > 0
            ? new DoppelLauncher(process, [entry])
            : new DoppelLauncher(process, []);
    }

    /// <summary><c>dotnet path/to/doppel.dll</c>, with the dotnet host that runs this process when it is one.</summary>
    public static DoppelLauncher ForDll(string doppelDll)
    {
        string? process = Environment.ProcessPath;
        string dotnet = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet";
        return new DoppelLauncher(dotnet, [doppelDll]);
    }

    public ProcessStartInfo StartInfo(IEnumerable<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (string a in PrefixArguments) info.ArgumentList.Add(a);
        foreach (string a in arguments) info.ArgumentList.Add(a);
        return info;
    }
}
