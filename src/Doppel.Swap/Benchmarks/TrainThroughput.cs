using System.Diagnostics;
using Doppel.Swap.Models;
using Doppel.Swap.Training;
using Doppel.Tensors;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Swap.Benchmarks;

/// <summary>
/// Training throughput of a swap model on random data: warm-up steps, then timed steps of
/// <see cref="TwoSideStep"/> with L1 loss and Adam, the same work as bench/torch_train_bench.py.
/// Examples count both sides: 2 x batch per step.
/// </summary>
public static class TrainThroughput
{
    /// <summary>CpuSecondsPerStep is process CPU time (all threads): steadier than wall time on a busy machine.</summary>
    public sealed record Result(double ExamplesPerSecond, double SecondsPerStep, double[] StepSeconds, double CpuSecondsPerStep, long PeakRssMb, long Parameters);

    public static Result Run(OriginalSpec spec, int batch, int steps, int warmup, ulong seed, Action<string>? log = null)
    {
        var rng = new Rng(seed);
        var model = new OriginalModel(spec, rng);
        var adam = new Adam(model.NamedParameters());
        var step = new TwoSideStep(model, adam, (y, t) => Ops.L1Loss(y, t));
        int s = spec.InputSize;
        var a = Tensor.Empty(batch, s, s, 3).Persist();
        var b = Tensor.Empty(batch, s, s, 3).Persist();
        rng.FillUniform(a.Span, 0f, 1f);
        rng.FillUniform(b.Span, 0f, 1f);

        for (int i = 0; i < warmup; i++)
        {
            var sw = Stopwatch.StartNew();
            step.Run(a, a, b, b);
            log?.Invoke($"warm-up step {i + 1}/{warmup}: {sw.Elapsed.TotalSeconds:F2} s");
        }
        Doppel.Tensors.Autograd.OpProfiler.Reset();
        var times = new double[steps];
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        for (int i = 0; i < steps; i++)
        {
            var sw = Stopwatch.StartNew();
            var (la, lb) = step.Run(a, a, b, b);
            times[i] = sw.Elapsed.TotalSeconds;
            log?.Invoke($"step {i + 1}/{steps}: {times[i]:F2} s, loss A {la:F4}, loss B {lb:F4}");
        }
        double total = times.Sum();
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds / steps;
        return new Result(2.0 * batch * steps / total, total / steps, times, cpu, PeakRssMb(), model.ParameterCount);
    }

    /// <summary>The process's peak resident set (VmHWM) in MB, as the kernel counts it.</summary>
    public static long PeakRssMb()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        return -1;
    }
}
