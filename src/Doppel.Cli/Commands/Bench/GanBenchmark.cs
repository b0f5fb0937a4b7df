using System.Diagnostics;
using System.Globalization;
using Doppel.Cli.Options;
using Doppel.Gan.Data;
using Doppel.Gan.Models;
using Doppel.Gan.Training;
using Doppel.Tensors;

namespace Doppel.Cli.Commands.Bench;

/// <summary>
/// <c>doppel bench gan</c>: iterations per second of Algorithm 1 (k D updates + one G update) on
/// the mlp or dcgan networks, the very step <c>gan train</c> runs (<see cref="GanTask.Step"/>),
/// on random images prepared beforehand; with --peer the same networks and step in PyTorch
/// (bench/torch_gan_bench.py) first, in the same run. Also CPU seconds per iteration and peak
/// memory (the process's peak working set; PyTorch's ru_maxrss). The last line is
/// <c>it_per_s=&lt;x&gt; cpu_s_per_it=&lt;x&gt; peak_mb=&lt;x&gt;</c>, plus <c>vs_pytorch=&lt;ratio&gt;</c> under --peer.
/// </summary>
internal sealed class GanBenchmark : IBenchmark
{
    private readonly Option<string> arch;
    private readonly Option<int> batch, features, size, k, iterations, warmup;
    private readonly Option<bool> peer, profile;

    public GanBenchmark()
    {
        arch = Options.Choice("arch", "dcgan", GanArchitectures.Names, "networks to time");
        batch = Options.Int("batch", 64, "minibatch size m", min: 1, max: 4096);
        features = Options.Int("features", 64, "dcgan width factor f", min: 1, max: 1024);
        size = Options.Int("size", 64, "dcgan image size (32 or 64)", min: 32, max: 64);
        k = Options.Int("k", 1, "discriminator updates per iteration", min: 1, max: 100);
        iterations = Options.Int("iters", 10, "timed iterations", min: 1);
        warmup = Options.Int("warmup", 2, "untimed iterations first (JIT, buffer pools)", min: 0);
        profile = Options.Flag("profile", "print the time of each op (forward and backward) and of the optimiser updates, largest first");
        peer = Options.Flag("peer", "also run the PyTorch peer (bench/torch_gan_bench.py with /usr/bin/python3) first and print the ratio");
    }

    public string Name => "gan";
    public OptionSet Options { get; } = new("bench gan");

    public string UsageLine => "doppel bench gan [--arch mlp|dcgan] [--batch 64] [--features 64] [--size 64] [--k 1] [--iters 10] [--warmup 2] [--profile] [--peer]";

    public string Description => """
        gan     Times gan train's iteration (k discriminator updates, one generator update)
                on the mlp or dcgan networks with random images; prints iterations per
                second (median), CPU seconds per iteration and peak memory. With --peer the
                same networks and step in PyTorch 1.13 (2 threads) run first and the ratio
                Doppel it/s / PyTorch it/s is printed (above 1: Doppel is faster). The last
                line is `it_per_s=<x> cpu_s_per_it=<x> peak_mb=<x>`.
        """;

    public int Run(ParsedOptions parsed)
    {
        string a = parsed.Get(arch);
        var settings = GanSettings.For(a) with { Batch = parsed.Get(batch), K = parsed.Get(k) };
        if (a == "dcgan") settings = settings with { Features = parsed.Get(features), Size = parsed.Get(size) };
        settings = settings.Validated();
        int n = parsed.Get(iterations), w = parsed.Get(warmup);
        Dictionary<string, double>? torch = parsed.Get(peer)
            ? PeerScript.Run("torch_gan_bench.py", "it_per_s", "--arch", a, "--batch", Inv(settings.Batch), "--features", Inv(settings.Features),
                "--size", Inv(settings.Size), "--k", Inv(settings.K), "--iters", Inv(n), "--warmup", Inv(w))
            : null;

        int channels = a == "mlp" ? 1 : 3;
        var task = new GanTask(settings, new RandomImages(settings.Batch * settings.K, settings.Size, settings.Size, channels));
        Console.Out.WriteLine(FormattableString.Invariant(
            $"doppel: {a} batch {settings.Batch} k {settings.K}{(a == "dcgan" ? $" size {settings.Size} features {settings.Features}" : "")}, {w} warm-up + {n} timed iterations, {Environment.ProcessorCount} cores, load average {PeerScript.LoadAverage():F1}"));
        var batches = Enumerable.Range(0, n + w).Select(i => task.MakeBatch(i)).ToList();
        var times = new double[n];
        var process = Process.GetCurrentProcess();
        TimeSpan cpuStart = TimeSpan.Zero;
        for (int i = 0; i < n + w; i++)
        {
            if (i == w) { process.Refresh(); cpuStart = process.TotalProcessorTime; Doppel.Tensors.Autograd.OpProfiler.Enabled = parsed.Get(profile); }
            long start = Stopwatch.GetTimestamp();
            using (TensorScope.Begin()) task.Step(batches[i], i);
            if (i >= w) times[i - w] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            batches[i].Dispose();
        }
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds / n;
        double median = times.Order().ElementAt(n / 2), peakMb = process.PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.Out.WriteLine(FormattableString.Invariant($"  median {median * 1e3:F1} ms per iteration (best {times.Min() * 1e3:F1}), cpu {cpu:F3} s per iteration, peak working set {peakMb:F0} MB"));
        string line = FormattableString.Invariant($"it_per_s={1 / median:F4} cpu_s_per_it={cpu:F4} peak_mb={peakMb:F1}");
        if (torch is not null)
        {
            double ratio = (1 / median) / torch["it_per_s"];
            Console.Out.WriteLine(FormattableString.Invariant(
                $"  pytorch {torch["it_per_s"]:F2} it/s, cpu {torch["cpu_s_per_it"]:F3} s per iteration, peak {torch["peak_mb"]:F0} MB: Doppel {ratio:F2}x"));
            line += FormattableString.Invariant($" vs_pytorch={ratio:F3} pytorch_it_per_s={torch["it_per_s"]:F4} pytorch_cpu_s_per_it={torch["cpu_s_per_it"]:F4} pytorch_peak_mb={torch["peak_mb"]:F1}");
        }
        if (parsed.Get(profile))
        {
            Doppel.Tensors.Autograd.OpProfiler.Enabled = false;
            Console.Out.Write(Doppel.Tensors.Autograd.OpProfiler.Report());
        }
        Console.Out.WriteLine(line);
        return CliApp.ExitOk;
    }

    private static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);
}
