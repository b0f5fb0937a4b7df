using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Tensors.Tests;

/// <summary>
/// The schedules' formulas at hand-worked points (PyTorch's own values are in OptimParityTests),
/// and how an optimiser applies a schedule: before each update, at the number of updates so far.
/// </summary>
public sealed class ScheduleTests
{
    private static double[] Values(ISchedule s, int n) => Enumerable.Range(0, n).Select(t => s.ValueAt(t)).ToArray();

    private static void Near(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"step {i}: {actual[i]} vs {expected[i]}");
    }

    [Fact]
    public void Constant_and_step_decay()
    {
        Near([0.3, 0.3, 0.3], Values(new ConstantLr(0.3), 3));
        Near([1, 1, 0.5, 0.5, 0.25, 0.25, 0.125], Values(new StepLr(1.0, stepSize: 2, gamma: 0.5), 7));
    }

    [Fact]
    public void Hold_after_stops_a_cosine_at_its_floor()
    {
        var held = new HoldAfter(new CosineAnnealingLr(1.0, tMax: 4, etaMin: 0.2), last: 4);
        Near([1, 0.2 + 0.8 * (1 + Math.Cos(Math.PI / 4)) / 2, 0.6, 0.2 + 0.8 * (1 + Math.Cos(3 * Math.PI / 4)) / 2, 0.2, 0.2, 0.2], Values(held, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HoldAfter(new ConstantLr(1), -1));
    }

    [Fact]
    public void Linear_anneal_keeps_the_inner_rate_then_falls_to_zero_and_stays()
    {
        // Constant 0.4 up to step 2, then down by a quarter per step to 0 at step 6.
        Near([0.4, 0.4, 0.4, 0.3, 0.2, 0.1, 0, 0], Values(new LinearAnneal(new ConstantLr(0.4), start: 2, end: 6), 8));
        // It scales whatever runs beneath it: here a step decay.
        Near([1, 1, 0.5 * 0.5, 0], Values(new LinearAnneal(new StepLr(1.0, stepSize: 2, gamma: 0.5), start: 1, end: 3), 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearAnneal(new ConstantLr(1), -1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearAnneal(new ConstantLr(1), 3, 3));
    }

    [Fact]
    public void Linear_change_reaches_its_end_and_stays()
    {
        // PyTorch's docstring example: lr 0.05, start_factor 0.5, total_iters 4.
        Near([0.025, 0.03125, 0.0375, 0.04375, 0.05, 0.05], Values(new LinearLr(0.05, startFactor: 0.5, totalSteps: 4), 6));
        Near([1.0, 0.75, 0.5, 0.25, 0.0, 0.0], Values(LinearLr.Decay(1.0, 0.0, 4), 6));
        Near([0.1, 0.0775, 0.055, 0.0325, 0.01, 0.01], Values(LinearLr.Decay(0.1, 0.01, 4), 6));
    }

    [Fact]
    public void Cosine_goes_from_base_to_min_at_t_max_then_climbs_like_pytorch()
    {
        var s = new CosineAnnealingLr(1.0, tMax: 4, etaMin: 0.2);
        Near([1.0, 0.2 + 0.8 * (1 + Math.Sqrt(0.5)) / 2, 0.6, 0.2 + 0.8 * (1 - Math.Sqrt(0.5)) / 2, 0.2, 0.2 + 0.8 * (1 - Math.Sqrt(0.5)) / 2, 0.6], Values(s, 7));
        Near([1.0], [s.ValueAt(8)]);
    }

    [Fact]
    public void Warmup_ramps_to_the_inner_schedules_start_then_runs_it_from_its_step_0()
    {
        var s = new LinearWarmup(new StepLr(1.0, 2, 0.5), warmupSteps: 4, startFactor: 0.2);
        Near([0.2, 0.4, 0.6, 0.8, 1.0, 1.0, 0.5, 0.5, 0.25], Values(s, 9));
        Near([0.0, 0.5, 1.0, 0.9], Values(new LinearWarmup(LinearLr.Decay(1.0, 0.0, 10), 2), 4));
    }

    [Fact]
    public void Momentum_ramp_is_pylearn2s_over_epochs()
    {
        // Goodfellow et al.'s MNIST GAN: 0.5 until epoch 1, 0.7 from epoch 250.
        var ramp = new MomentumRamp(0.5, 0.7, start: 1, saturate: 250);
        Assert.Equal(0.5, ramp.ValueAt(0));
        Assert.Equal(0.5, ramp.ValueAt(1));
        Assert.Equal(0.5 + 0.2 * 124.0 / 249, ramp.ValueAt(125), 12);
        Assert.Equal(0.7, ramp.ValueAt(250), 12);
        Assert.Equal(0.7, ramp.ValueAt(10_000), 12);
        var perEpoch = new PerEpoch(ramp, stepsPerEpoch: 600);
        Assert.Equal(0.5, perEpoch.ValueAt(1199));
        Assert.Equal(ramp.ValueAt(2), perEpoch.ValueAt(1200));
        Assert.Equal(ramp.ValueAt(2), perEpoch.ValueAt(1799));
        var jump = new MomentumRamp(0.5, 0.9, start: 3, saturate: 3);
        Assert.Equal([0.5, 0.5, 0.5, 0.9, 0.9], Values(jump, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MomentumRamp(0.5, 0.7, 5, 4));
    }

    [Fact]
    public void Exponential_decay_divides_by_the_factor_per_update_down_to_its_floor()
    {
        // pylearn2's ExponentialDecay as Goodfellow et al.'s MNIST run uses it: 0.1 / 1.000004^t, at least 1e-6.
        var decay = new ExponentialDecay(0.1, 1.000004, 1e-6);
        Assert.Equal(0.1, decay.ValueAt(0));
        Assert.Equal(0.1 / 1.000004, decay.ValueAt(1), 15);
        Assert.Equal(0.1 / Math.Pow(1.000004, 100_000), decay.ValueAt(100_000), 15);
        Assert.Equal(1e-6, decay.ValueAt(10_000_000));
        Assert.Equal([0.3, 0.3, 0.3], Values(new ExponentialDecay(0.3, 1), 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0.1, 0.9));
    }

    [Fact]
    public void An_optimiser_takes_the_scheduled_rate_before_each_update()
    {
        var p = Tensor.Parameter(Tensor.Zeros(1), "p");
        var sgd = new Sgd([("p", p)], lr: 123f) { LearningRateSchedule = new StepLr(1.0, 1, 0.5) };
        var moves = new List<float>();
        for (int t = 0; t < 4; t++)
        {
            float before = p.Data[0];
            p.AccumulateGrad([-1f]);
            sgd.StepAndZeroGrad();
            moves.Add(p.Data[0] - before);
        }
        Assert.Equal([1f, 0.5f, 0.25f, 0.125f], moves); // update k used lr(k), k = updates before it
        Assert.Equal(0.125f, sgd.LearningRate);
    }

    [Fact]
    public void Bad_schedule_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLr(0.1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLr(0.1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLr(0.1, totalSteps: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearWarmup(new ConstantLr(0.1), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearLr.Decay(0, 0.1, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PerEpoch(new ConstantLr(0.1), 0));
    }
}
