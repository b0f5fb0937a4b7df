using System.Diagnostics;
using System.Globalization;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Swap.Benchmarks;
using Doppel.Swap.Models;
using Doppel.Tensors;
using Doppel.Tensors.Kernels;

namespace Doppel.Cli.Commands.Bench;

/// <summary>
/// <c>doppel bench train</c>: training steps of a swap model on random data, optionally beside
/// the PyTorch peer run in the same invocation (the machines are noisy, so only same-run ratios
/// mean much). The last line is <c>egs_per_s=&lt;float&gt; peak_rss_mb=&lt;int&gt;</c>.
/// </summary>
internal sealed class TrainBenchmark : IBenchmark
{
    private static readonly string[] ModelNames = ["original", "lite"];

    private static readonly string[] PrecisionNames = ["fp32", "bf16", "both"];

    private readonly Option<string> model, precision;
    private readonly Option<int> batch, steps, warmup, seed;
    private readonly Option<bool> peer, profile;

    public TrainBenchmark()
    {
        model = Options.Choice("model", "original", ModelNames, "the model to train");
        precision = Options.Choice("precision", "fp32", PrecisionNames, "matrix products in fp32, bf16 (doppel train --precision), or both one after the other with the ratio");
        batch = Options.Int("batch", 16, "faces per side per step", min: 1, max: 1024);
        steps = Options.Int("steps", 5, "timed training steps", min: 1);
        warmup = Options.Int("warmup", 1, "untimed steps first (JIT, buffer pools)", min: 0);
        seed = Options.Int("seed", 1, "random seed for weights and data");
        profile = Options.Flag("profile", "time every op (forward and backward) and print a table; slows the run slightly");
        peer = Options.Flag("peer", "also run the PyTorch peer (bench/torch_train_bench.py with /usr/bin/python3) first and print the ratio");
    }

    public string Name => "train";
    public OptionSet Options { get; } = new("bench train");

    public string UsageLine => "doppel bench train [--model original|lite] [--precision fp32|bf16|both] [--batch 16] [--steps 5] [--warmup 1] [--seed 1] [--peer] [--profile]";

    public string Description => """
        train   Runs training steps of a swap model on random data, exactly the step
                doppel train runs: shared encoder, both decoders, both sides per step, the
                trainer's loss (DSSIM + L1, weighted by a landmark-like face mask), Adam.
                Examples count both sides (2 x batch per step). With --peer, the same model in PyTorch runs first in a
                separate process and the ratio of throughputs is printed. The last line is
                `egs_per_s=<float> peak_rss_mb=<int>` for this engine (the last precision run).
                --precision both runs fp32, then bf16, in the same process and prints the
                bf16/fp32 ratios of throughput and CPU seconds per step.
        """;

    public int Run(ParsedOptions parsed)
    {
        int b = parsed.Get(batch), n = parsed.Get(steps), w = parsed.Get(warmup);
        var spec = ModelRegistry.Default.Resolve(parsed.Get(model));
        (double Egs, long Rss)? peerResult = parsed.Get(peer) ? RunPeer(parsed.Get(model), spec.InputSize, b, n, w) : null;

        Precision[] precisions = parsed.Get(precision) switch
        {
            "both" => [Precision.Fp32, Precision.Bf16],
            var name => [MatMulPrecision.Parse(name)!.Value],
        };
        Doppel.Tensors.Autograd.OpProfiler.Enabled = parsed.Get(profile);
        var results = new List<(string Tag, TrainThroughput.Result Result)>();
        foreach (var p in precisions)
        {
            string backend = p == Precision.Bf16 ? $"bf16 products: {Gemm.Bf16Backend}" : $"fp32 GEMM: {Gemm.Backend}";
            Console.Out.WriteLine($"doppel: model {parsed.Get(model)} ({spec.InputSize} px), batch {b} per side, {w} warm-up + {n} timed steps, {backend}, {Environment.ProcessorCount} cores");
            var result = TrainThroughput.Run(spec, b, n, w, (ulong)parsed.Get(seed), p, line => Console.Out.WriteLine("  " + line));
            string tag = MatMulPrecision.Name(p);
            Console.Out.WriteLine($"doppel {tag}: {result.Parameters / 1e6:F2} M parameters, {result.SecondsPerStep:F2} s/step (best {result.StepSeconds.Min():F2}), {result.ExamplesPerSecond:F2} examples/s, peak RSS {result.PeakRssMb} MB");
            Console.Out.WriteLine($"doppel {tag}: cpu {result.CpuSecondsPerStep:F2} s/step over {Environment.ProcessorCount} cores: ~{2.0 * b * Environment.ProcessorCount / result.CpuSecondsPerStep:F2} examples/s if the cores were idle");
            if (parsed.Get(profile)) Console.Out.Write(Doppel.Tensors.Autograd.OpProfiler.Report());
            results.Add((tag, result));
        }
        if (results.Count == 2)
        {
            var (fp32, bf16) = (results[0].Result, results[1].Result);
            Console.Out.WriteLine(FormattableString.Invariant(
                $"ratio bf16 vs fp32: throughput {bf16.ExamplesPerSecond / fp32.ExamplesPerSecond:F2}x, cpu s/step {fp32.CpuSecondsPerStep / bf16.CpuSecondsPerStep:F2}x"));
        }
        if (peerResult is { } peerFigures)
            foreach (var (tag, result) in results)
                Console.Out.WriteLine(FormattableString.Invariant(
                    $"ratio vs pytorch ({tag}): throughput {result.ExamplesPerSecond / peerFigures.Egs:F2}x, peak memory {(double)result.PeakRssMb / peerFigures.Rss:F2}x (pytorch {peerFigures.Egs:F2} examples/s, {peerFigures.Rss} MB)"));
        var last = results[^1].Result;
        Console.Out.WriteLine(FormattableString.Invariant($"egs_per_s={last.ExamplesPerSecond:F3} peak_rss_mb={last.PeakRssMb}"));
        return CliApp.ExitOk;
    }

    // The peer builds the same model by name and weights its loss with the very mask this run uses
    // (raw float32, size x size), so both engines compute the same function.
    private static (double, long) RunPeer(string modelName, int size, int batch, int steps, int warmup)
    {
        string maskFile = Path.Combine(Path.GetTempPath(), $"doppel-bench-train-mask-{Environment.ProcessId}.f32");
        try
        {
            File.WriteAllBytes(maskFile, System.Runtime.InteropServices.MemoryMarshal.AsBytes(SyntheticFaceMask.Weights(size).AsSpan()).ToArray());
            var fields = PeerScript.Run("torch_train_bench.py", "egs_per_s", "--model", modelName, "--mask", maskFile,
                "--batch", Inv(batch), "--steps", Inv(steps), "--warmup", Inv(warmup));
            return (fields["egs_per_s"], (long)fields["peak_rss_mb"]);
        }
        finally
        {
            File.Delete(maskFile);
        }
    }

    private static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);
}
