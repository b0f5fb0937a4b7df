using System.Text;
using Doppel.Cli.Commands.Bench;
using Doppel.Cli.Options;
using Doppel.Core;

namespace Doppel.Cli.Commands;

/// <summary>
/// <c>doppel bench NAME</c>: measured speed, optionally beside a peer implementation run in the
/// same invocation (the machines are noisy, so only same-run ratios mean much). Each benchmark
/// is its own class with its own options (<see cref="IBenchmark"/>); this command only picks one
/// by name. Every benchmark prints one machine-readable line last.
/// </summary>
public sealed class BenchCommand : ICommand
{
    // Explicit list, like the command registry: a new benchmark is one class plus one entry here.
    private readonly IBenchmark[] benchmarks = [new TrainBenchmark(), new ExtractBenchmark(), new PhotoFolderBenchmark(), new FaceSearchBenchmark(), new ConvertBenchmark(), new LayerBenchmark(), new DetectBenchmark(), new SwapBenchmark(), new GanBenchmark(), new GanPowerBenchmark()];

    public string Name => "bench";
    public string Summary => "Measure speed (train, extract, photos, faces, convert, layers, detect, gan), optionally against a peer (PyTorch, dlib), and swap identity (swap)";

    /// <summary>
    /// Empty on purpose: the options belong to each benchmark (and two benchmarks may both have
    /// --peer), so they are parsed there. <see cref="Usage"/> lists them per benchmark.
    /// </summary>
    public OptionSet Options { get; } = new("bench", maxPositionals: 1);

    public string Usage
    {
        get
        {
            var sb = new StringBuilder();
            for (int i = 0; i < benchmarks.Length; i++)
                sb.Append(i == 0 ? "usage: " : "       ").Append(benchmarks[i].UsageLine).Append('\n');
            sb.Append('\n');
            foreach (var b in benchmarks) sb.Append(b.Description.TrimEnd()).Append("\n\n");
            sb.Append("Each benchmark prints a machine-readable line last, so scripts can read it.\n");
            sb.Append("See docs/benchmarks.md for recorded figures.\n");
            foreach (var b in benchmarks)
                sb.Append('\n').Append(b.Name).Append(' ').Append(b.Options.Describe()).Append('\n');
            return sb.ToString();
        }
    }

    public int Run(string[] args)
    {
        // The benchmark is the first argument that names one, so options may come before it
        // (`bench --steps 3 train`) as they could when bench had a single option list.
        int at = Array.FindIndex(args, a => benchmarks.Any(b => b.Name == a));
        if (at < 0)
        {
            string? word = args.FirstOrDefault(a => !a.StartsWith('-'));
            string available = string.Join(", ", benchmarks.Select(b => b.Name));
            throw word is null
                ? new DoppelException("bench needs to know what to measure", $"try 'doppel bench train' or 'doppel bench extract' (available: {available})")
                : new DoppelException($"unknown benchmark '{word}'", $"available: {available}");
        }
        IBenchmark benchmark = benchmarks.First(b => b.Name == args[at]);
        string[] rest = [.. args[..at], .. args[(at + 1)..]];
        return benchmark.Run(benchmark.Options.Parse(rest));
    }
}
