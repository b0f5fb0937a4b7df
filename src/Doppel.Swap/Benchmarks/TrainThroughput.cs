using System.Diagnostics;
using Doppel.Swap.Data;
using Doppel.Swap.Models;
using Doppel.Swap.Training;
using Doppel.Tensors;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Swap.Benchmarks;

/// <summary>
/// Training throughput of a swap model on random data: warm-up steps, then timed steps of exactly
/// what <see cref="SwapTrainer"/> runs per iteration: <see cref="MaskedTwoSideStep"/> with the
/// trainer's default <see cref="FaceLoss"/> (DSSIM + L1, both weighted by a landmark-like mask,
/// <see cref="SyntheticFaceMask"/>) and Adam at the trainer's default settings; the model without
/// the mask branch, as training builds it by default. The data path (augmentation, batch loading)
/// is not timed: in training it runs ahead on its own thread. bench/torch_train_bench.py does the
/// same work. Examples count both sides: 2 x batch per step.
/// </summary>
public static class TrainThroughput
{
    /// <summary>CpuSecondsPerStep is process CPU time (all threads): steadier than wall time on a busy machine.</summary>
    public sealed record Result(double ExamplesPerSecond, double SecondsPerStep, double[] StepSeconds, double CpuSecondsPerStep, long PeakRssMb, long Parameters);

    public static Result Run(ISwapModelSpec spec, int batch, int steps, int warmup, ulong seed, Action<string>? log = null) =>
        Run(spec, batch, steps, warmup, seed, Precision.Fp32, log);

    /// <summary>As above, with the matrix products in <paramref name="precision"/> (the trainer's --precision).</summary>
    public static Result Run(ISwapModelSpec spec, int batch, int steps, int warmup, ulong seed, Precision precision, Action<string>? log = null)
    {
        var settings = new TrainSettings();
        var rng = new Rng(seed);
        var model = spec.Create(rng);
        var adam = new Adam(model.Module.NamedParameters(), settings.LearningRate);
        var step = new MaskedTwoSideStep(model, adam, new FaceLoss(settings.DssimWeight, settings.L1Weight), settings.MaskWeight, precision);
        int s = spec.InputSize;
        using var data = new TrainingBatch(0, RandomSide(rng, batch, s), RandomSide(rng, batch, s));

        for (int i = 0; i < warmup; i++)
        {
            var sw = Stopwatch.StartNew();
            step.Run(data);
            log?.Invoke($"warm-up step {i + 1}/{warmup}: {sw.Elapsed.TotalSeconds:F2} s");
        }
        Doppel.Tensors.Autograd.OpProfiler.Reset();
        var times = new double[steps];
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        for (int i = 0; i < steps; i++)
        {
            var sw = Stopwatch.StartNew();
            var (la, lb) = step.Run(data);
            times[i] = sw.Elapsed.TotalSeconds;
            log?.Invoke($"step {i + 1}/{steps}: {times[i]:F2} s, loss A {la:F4}, loss B {lb:F4}");
        }
        double total = times.Sum();
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds / steps;
        return new Result(2.0 * batch * steps / total, total / steps, times, cpu, PeakRssMb(), model.ParameterCount);
    }

    // Random inputs and targets in [0, 1] and the same landmark-like weights for every face.
    private static SideBatch RandomSide(Rng rng, int batch, int size)
    {
        var input = Tensor.Empty(batch, size, size, 3).Persist();   // (N, S, S, 3)
        var target = Tensor.Empty(batch, size, size, 3).Persist();  // (N, S, S, 3)
        var mask = Tensor.Empty(batch, size, size, 1).Persist();    // (N, S, S, 1)
        rng.FillUniform(input.Span, 0f, 1f);
        rng.FillUniform(target.Span, 0f, 1f);
        float[] weights = SyntheticFaceMask.Weights(size);
        for (int i = 0; i < batch; i++) weights.CopyTo(mask.Span.Slice(i * weights.Length, weights.Length));
        return new SideBatch(input, target, mask);
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
