using Doppel.Cli.Diagnostics;
using Doppel.Cli.Options;
using Doppel.Core;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel info</c>: machine facts to paste into a bug report.</summary>
public sealed class InfoCommand : ICommand
{
    private readonly Option<bool> skipCacheSize;

    public InfoCommand()
    {
        skipCacheSize = Options.Flag("no-cache-size", "do not measure the cache (walking a large cache takes a while)");
    }

    public string Name => "info";
    public string Summary => "Print machine facts for bug reports (OS, CPU, .NET, OpenBLAS, ffmpeg, cache)";
    public OptionSet Options { get; } = new("info");

    public string Usage => """
        usage: doppel info [--no-cache-size]

        Prints what a bug report needs: doppel's version, the OS, CPU cores and SIMD support,
        memory, the .NET runtime, whether OpenBLAS (libopenblas.so.0) loads, the ffmpeg version,
        and where the cache is and how big it is.
        """ + "\n\n" + Options.Describe();

    public int Run(string[] args)
    {
        ParsedOptions parsed = Options.Parse(args);
        string cache = DoppelPaths.Cache;
        var facts = new List<(string, Func<string>)>
        {
            ("doppel", () => VersionInfo.Version),
            ("os", MachineFacts.OperatingSystem),
            ("cpu", MachineFacts.Cpu),
            ("simd", MachineFacts.Simd),
            ("memory", MachineFacts.Memory),
            (".net", MachineFacts.Runtime),
            ("openblas", MachineFacts.OpenBlas),
            ("ffmpeg", MachineFacts.FfmpegVersion),
            ("repo", () => DoppelPaths.RepoRoot ?? "not running from a checkout"),
            ("cache", () => cache + (Environment.GetEnvironmentVariable("DOPPEL_CACHE") is { Length: > 0 } ? " (from DOPPEL_CACHE)" : "")),
        };
        if (!parsed.Get(skipCacheSize)) facts.Add(("cache size", () => MachineFacts.DirectorySize(cache)));

        int width = facts.Max(f => f.Item1.Length) + 2;
        foreach (var (label, probe) in facts)
            Console.Out.WriteLine((label + ":").PadRight(width + 1) + probe());
        return CliApp.ExitOk;
    }
}
