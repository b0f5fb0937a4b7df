using System.Diagnostics;
using System.Globalization;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Cli.Commands.Bench;

/// <summary>
/// <c>doppel bench layers</c>: forward + backward of single layers at GAN-like sizes, one row per
/// <see cref="LayerCase"/>, optionally beside the PyTorch peer (bench/torch_layer_bench.py, the
/// same case names in its own table) run first in the same invocation. The last line is
/// <c>cases=&lt;n&gt; &lt;case&gt;=&lt;ms&gt; ...</c> (median milliseconds per forward + backward),
/// with <c>&lt;case&gt;_vs_pytorch=&lt;ratio&gt;</c> fields under --peer.
/// </summary>
internal sealed class LayerBenchmark : IBenchmark
{
    /// <summary>
    /// The rows. A new row is one line here and one line with the same name in CASES of
    /// bench/torch_layer_bench.py; the input shape is NHWC here and NCHW there.
    /// </summary>
    private static readonly LayerCase[] Cases =
    [
        new("batchnorm2d_b64_32x32x128", [64, 32, 32, 128], _ => new BatchNorm2d(128)),
        new("batchnorm2d_b64_16x16x256", [64, 16, 16, 256], _ => new BatchNorm2d(256)),
        new("batchnorm2d_b64_8x8x512", [64, 8, 8, 512], _ => new BatchNorm2d(512)),
    ];

    private readonly Option<string> only;
    private readonly Option<int> iterations, warmup, seed;
    private readonly Option<bool> peer;

    public LayerBenchmark()
    {
        only = Options.String("case", "", "run only the cases whose name contains this (e.g. batchnorm2d)", valueName: "name");
        iterations = Options.Int("iters", 10, "timed forward + backward passes per case", min: 1);
        warmup = Options.Int("warmup", 2, "untimed passes first (JIT, buffer pools)", min: 0);
        seed = Options.Int("seed", 1, "random seed for weights, inputs and gradients");
        peer = Options.Flag("peer", "also run the PyTorch peer (bench/torch_layer_bench.py with /usr/bin/python3) first and print the ratio per case");
    }

    public string Name => "layers";
    public OptionSet Options { get; } = new("bench layers");

    public string UsageLine => "doppel bench layers [--case NAME] [--iters 10] [--warmup 2] [--seed 1] [--peer]";

    public string Description => $"""
        layers  Times one layer's forward and backward (input gradient and parameter
                gradients, from a random output gradient) in training mode, per case:
                {string.Join(", ", Cases.Select(c => c.Name))}.
                Prints median and best milliseconds; with --peer the same layers in PyTorch
                (NCHW, 2 threads) run first and the ratio PyTorch time / Doppel time is
                printed per case (above 1: Doppel is faster). The last line is
                `cases=<n> <case>=<ms> ...`.
        """;

    public int Run(ParsedOptions parsed)
    {
        string filter = parsed.Get(only);
        var cases = Cases.Where(c => c.Name.Contains(filter, StringComparison.Ordinal)).ToArray();
        if (cases.Length == 0)
            throw new DoppelException($"no layer case matches '{filter}'", $"cases: {string.Join(", ", Cases.Select(c => c.Name))}");
        int n = parsed.Get(iterations), w = parsed.Get(warmup);
        Dictionary<string, double>? peerMs = parsed.Get(peer)
            ? PeerScript.Run("torch_layer_bench.py", "cases", "--cases", string.Join(',', cases.Select(c => c.Name)), "--iters", Inv(n), "--warmup", Inv(w))
            : null;

        Console.Out.WriteLine(FormattableString.Invariant($"doppel: {cases.Length} cases, {w} warm-up + {n} timed passes each, {Environment.ProcessorCount} cores, load average {PeerScript.LoadAverage():F1}"));
        var fields = new List<string> { $"cases={cases.Length}" };
        var ratios = new List<string>();
        foreach (var layerCase in cases)
        {
            var (forward, total) = Time(layerCase, n, w, (ulong)parsed.Get(seed));
            string line = FormattableString.Invariant(
                $"  {layerCase.Name,-28} forward {Median(forward),8:F2} ms, forward+backward {Median(total),8:F2} ms (best {total.Min(),8:F2})");
            if (peerMs is not null && peerMs.TryGetValue(layerCase.Name, out double p))
            {
                double ratio = p / Median(total);
                line += FormattableString.Invariant($", pytorch {p,8:F2} ms: {ratio:F2}x");
                ratios.Add(FormattableString.Invariant($"{layerCase.Name}_vs_pytorch={ratio:F3}"));
            }
            Console.Out.WriteLine(line);
            fields.Add(FormattableString.Invariant($"{layerCase.Name}={Median(total):F3}"));
        }
        Console.Out.WriteLine(string.Join(' ', fields.Concat(ratios)));
        return CliApp.ExitOk;
    }

    /// <summary>Milliseconds of each timed pass: the forward alone, and forward + backward.</summary>
    private static (double[] Forward, double[] Total) Time(LayerCase layerCase, int iterations, int warmup, ulong seed)
    {
        var rng = new Rng(seed);
        var layer = layerCase.Build(rng);
        layer.Train();
        int size = layerCase.InputShape.Aggregate(1, (a, b) => a * b);
        var values = new float[size];
        rng.FillNormal(values);
        using var x = Tensor.FromArray(values, layerCase.InputShape).Persist();
        x.RequiresGrad = true; // as behind another layer: the input gradient is part of the cost
        int[] outputShape;
        using (TensorScope.Begin())
        using (Doppel.Tensors.Autograd.GradMode.Off())
            outputShape = (int[])layer.Forward(x).Shape.Clone();
        var g = new float[outputShape.Aggregate(1, (a, b) => a * b)];
        rng.FillNormal(g);
        using var gradient = Tensor.FromArray(g, outputShape).Persist();

        var forward = new double[iterations];
        var total = new double[iterations];
        for (int i = -warmup; i < iterations; i++)
        {
            using var scope = TensorScope.Begin();
            layer.ZeroGrad();
            x.ZeroGrad();
            long start = Stopwatch.GetTimestamp();
            var y = layer.Forward(x);
            long mid = Stopwatch.GetTimestamp();
            y.Backward(gradient);
            long end = Stopwatch.GetTimestamp();
            if (i < 0) continue;
            forward[i] = Stopwatch.GetElapsedTime(start, mid).TotalMilliseconds;
            total[i] = Stopwatch.GetElapsedTime(start, end).TotalMilliseconds;
        }
        x.ZeroGrad();
        return (forward, total);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One benchmark row: a layer built at a size and the NHWC input shape it is timed on.</summary>
internal sealed record LayerCase(string Name, int[] InputShape, Func<Rng, Module<Tensor, Tensor>> Build);
