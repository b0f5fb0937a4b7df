using Doppel.Tensors.Optim;
using Xunit.Abstractions;

namespace Doppel.Tensors.Tests.Parity;

/// <summary>
/// The optimisers, gradient clipping and learning-rate schedules against PyTorch 1.13 (fixture
/// from bench/torch_parity_optim.py, tests/data/parity/optim.safetensors). Optimisers are not
/// differentiated, so this is their check: the same parameters and the same five gradients give
/// the same parameters after every update. Tolerances follow <see cref="Deviation.Check"/>.
/// </summary>
public sealed class OptimParityTests(ITestOutputHelper output)
{
    private static readonly ParityData Fixture = new("optim.safetensors");
    private static readonly string[] Names = ["a", "b"];
    private const int Steps = 5;

    private readonly Deviation _dev = new(output);

    /// <summary>Doppel's twin of each case in the script's OPTIMISERS.</summary>
    private static Optimizer Make(string name, (string, Tensor)[] ps) => name switch
    {
        "adam" => new Adam(ps, 1e-2f, 0.9f, 0.999f, 1e-8f),
        "adam_swap" => new Adam(ps, 5e-5f, 0.5f, 0.999f, 1e-8f),
        "adamw" => new AdamW(ps, 1e-2f, 0.9f, 0.999f, 1e-8f, weightDecay: 0.1f),
        "sgd" => new Sgd(ps, 0.1f),
        "sgd_momentum" => new Sgd(ps, 0.1f, momentum: 0.9f),
        "sgd_nesterov_wd" => new Sgd(ps, 0.05f, momentum: 0.9f, nesterov: true, weightDecay: 1e-2f),
        "sgd_momentum_ramp" => new Sgd(ps, 0.1f, momentum: 0.5f) { MomentumSchedule = new MomentumRamp(0.5, 0.7, start: 1, saturate: 4) },
        "sgd_steplr" => new Sgd(ps, 0.1f, momentum: 0.9f) { LearningRateSchedule = new StepLr(0.1, stepSize: 2, gamma: 0.5) },
        _ => throw new ArgumentException(name),
    };

    // Each update is a handful of float32 operations per element on both sides, in the same order
    // (PyTorch's CPU kernels may fuse a multiply-add where Doppel rounds twice, and Doppel's betas
    // are float where PyTorch's are double: 0.999f is 0.999 + 1.3e-8, which moves 1 - b2 by 1.3e-5
    // relative, but that cancels against the bias correction to first order). Observed: the
    // parameters (scale ~2) differ by at most 1 ulp of their scale (max |d| 1.2e-7); adam_swap is
    // bit-identical. Limits: rtol 1e-6 plus 2e-7 of the scale (~1.7 ulp). The change p_t - p_0 is
    // checked too (it is what an optimiser computes; for Adam ~lr per step): observed at most
    // 3e-6 of its scale (Nesterov, whose change is small next to the parameters' own rounding);
    // limits rtol 1e-5 plus 1e-5 of the scale.
    [Theory]
    [InlineData("adam")]
    [InlineData("adam_swap")]
    [InlineData("adamw")]
    [InlineData("sgd")]
    [InlineData("sgd_momentum")]
    [InlineData("sgd_nesterov_wd")]
    [InlineData("sgd_momentum_ramp")]
    [InlineData("sgd_steplr")]
    public void OptimiserStepsMatchPyTorch(string name)
    {
        var ps = Names.Select(n => (n, Tensor.Parameter(Tensor.FromArray(Fixture.Ref($"p0.{n}"), (int[])Fixture[$"p0.{n}"].Shape.Clone()), n))).ToArray();
        var opt = Make(name, ps);
        for (int t = 1; t <= Steps; t++)
        {
            foreach (var (n, p) in ps) p.AccumulateGrad(Fixture.Ref($"g{t}.{n}"));
            opt.StepAndZeroGrad();
            foreach (var (n, p) in ps)
            {
                var expected = Fixture.Ref($"{name}.p{t}.{n}");
                _dev.Check($"{name} step {t} {n}", p.Span, expected, 1e-6, 2e-7);
                var p0 = Fixture.Ref($"p0.{n}");
                var change = p.Data.Select((x, i) => x - p0[i]).ToArray();
                var expectedChange = expected.Select((x, i) => x - p0[i]).ToArray();
                _dev.Check($"{name} step {t} {n} change", change, expectedChange, 1e-5, 1e-5);
            }
        }
        foreach (var (_, p) in ps) p.Dispose();
    }

    // The norm: PyTorch sums squares in float (per tensor, then the norm of the norms), Doppel in
    // double, so they differ by PyTorch's rounding, ~1e-7 for 60 elements (observed: equal, and
    // 1 ulp = 6.6e-8 relative): rtol 1e-6. The scaled gradients inherit it (observed equal): rtol
    // 1e-6. Below max_norm the gradients must be untouched: exact.
    [Theory]
    [InlineData("big")]
    [InlineData("small")]
    public void ClipGradNormMatchesPyTorch(string name)
    {
        var grads = Enumerable.Range(0, 3).Select(i =>
        {
            var (shape, data) = Fixture[$"clip_{name}.g_in.{i}"];
            var p = Tensor.Parameter(Tensor.Zeros((int[])shape.Clone()));
            p.AccumulateGrad(data);
            return p;
        }).ToArray();
        float norm = GradientClipping.ClipByGlobalNorm(grads, Fixture.Ref($"clip_{name}.max_norm")[0]);
        _dev.Scalar($"clip {name} norm", norm, Fixture.Ref($"clip_{name}.norm")[0], 1e-6);
        double tolerance = name == "small" ? 0 : 1e-6;
        for (int i = 0; i < grads.Length; i++)
            _dev.Check($"clip {name} grad {i}", grads[i].Grad!.Span, Fixture.Ref($"clip_{name}.g_out.{i}"), tolerance, 0);
        foreach (var p in grads) p.Dispose();
    }

    /// <summary>Doppel's twin of each case in the script's SCHEDULES (base rate 0.1).</summary>
    private static ISchedule Schedule(string name) => name switch
    {
        "constant" => new ConstantLr(0.1),
        "steplr" => new StepLr(0.1, stepSize: 3, gamma: 0.5),
        "linearlr_warm" => new LinearLr(0.1, startFactor: 0.25, totalSteps: 4),
        "linearlr_decay" => LinearLr.Decay(0.1, 0.1 * 0.05, 10),
        "cosine" => new CosineAnnealingLr(0.1, tMax: 10, etaMin: 1e-3),
        "warmup_cosine" => new LinearWarmup(new CosineAnnealingLr(0.1, tMax: 15), warmupSteps: 5, startFactor: 0.1),
        "warmup_steplr" => new LinearWarmup(new StepLr(0.1, stepSize: 4, gamma: 0.5), warmupSteps: 3, startFactor: 0.2),
        "warmup_linear_decay" => new LinearWarmup(new LinearLr(0.1, startFactor: 1.0, endFactor: 0.1, totalSteps: 8), warmupSteps: 2, startFactor: 0.5),
        "warmup_constant" => new LinearWarmup(new ConstantLr(0.1), warmupSteps: 4, startFactor: 0.1),
        _ => throw new ArgumentException(name),
    };

    // PyTorch steps its schedulers recursively in double (lr_t = lr_{t-1} * ratio), Doppel
    // evaluates the closed form; both are then rounded to float32 (the fixture's and the
    // optimiser's precision). Observed: equal in float for every case and step. Limits: rtol 1e-6
    // (~8 float ulp), plus 1e-9 absolute for a cosine's zero, where a recursion may leave ~1e-18.
    [Theory]
    [InlineData("constant")]
    [InlineData("steplr")]
    [InlineData("linearlr_warm")]
    [InlineData("linearlr_decay")]
    [InlineData("cosine")]
    [InlineData("warmup_cosine")]
    [InlineData("warmup_steplr")]
    [InlineData("warmup_linear_decay")]
    [InlineData("warmup_constant")]
    public void ScheduleMatchesPyTorch(string name)
    {
        var expected = Fixture.Ref($"sched_{name}.lr");
        var p = Tensor.Parameter(Tensor.Zeros(1), "p");
        var opt = new Sgd([("p", p)], lr: 1f) { LearningRateSchedule = Schedule(name) };
        var used = new float[expected.Length];
        for (int t = 0; t < expected.Length; t++)
        {
            p.AccumulateGrad([0f]);
            opt.StepAndZeroGrad();
            used[t] = opt.LearningRate; // the rate of update t
        }
        for (int t = 0; t < expected.Length; t++)
            Assert.True(Math.Abs(used[t] - expected[t]) <= 1e-6 * Math.Abs(expected[t]) + 1e-9, $"{name} update {t}: lr {used[t]:R} vs PyTorch {expected[t]:R}");
        double worst = used.Zip(expected).Max(u => Math.Abs(u.First - u.Second) / Math.Max(1e-30, Math.Abs(u.Second)));
        output.WriteLine(System.FormattableString.Invariant($"{name}: max rel {worst:G3}; {string.Join(" ", used.Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))}"));
        p.Dispose();
    }
}
