using System.Diagnostics;
using System.Globalization;
using Doppel.Core;
using Doppel.Tensors.Kernels;

namespace Doppel.Cli.Commands.Bench;

/// <summary>
/// Runs a PyTorch peer script from the checkout's bench/ folder with Debian's Python (which has
/// python3-torch), echoes its output indented, and returns the fields of its last line
/// (<c>key=value key=value</c>), which every peer script prints last.
/// </summary>
internal static class PeerScript
{
    private const string Python = "/usr/bin/python3";

    public static Dictionary<string, double> Run(string scriptName, string expectedKey, params string[] arguments)
    {
        // The peer scripts live in the checkout: beside the running build, or under the current directory.
        string script = Path.Combine(DoppelPaths.RepoRoot ?? Directory.GetCurrentDirectory(), "bench", scriptName);
        if (!File.Exists(script)) throw new DoppelException($"--peer needs {script}", "run it from a Doppel checkout");
        if (!File.Exists(Python)) throw new DoppelException("the PyTorch peer needs Debian's /usr/bin/python3 with python3-torch", "apt-get install python3-torch");
        Console.Out.WriteLine($"pytorch: running {script} {string.Join(' ', arguments)}");
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        // The peer's OpenBLAS (PyTorch's dense products) gets the same kernels as ours, so a ratio
        // compares engines, not a misdetected CPU (see OpenBlasCoreType).
        if (OpenBlasCoreType.Apply() is { } core) psi.Environment["OPENBLAS_CORETYPE"] = core;
        using var process = Process.Start(psi) ?? throw new DoppelException($"could not start {Python}");
        string? last = null;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            Console.Out.WriteLine("  " + line);
            if (line.Length > 0) last = line;
        }
        process.WaitForExit();
        if (process.ExitCode != 0 || last is null || !last.StartsWith(expectedKey + "=", StringComparison.Ordinal))
            throw new DoppelException($"the PyTorch peer failed (exit {process.ExitCode})", "is python3-torch installed? run: /usr/bin/python3 -c 'import torch'");
        return last.Split(' ').Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture));
    }

    /// <summary>The 1-minute load average: figures mean little without it on a shared machine.</summary>
    public static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}
