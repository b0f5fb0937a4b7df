using System.Text.Json;
using Doppel.Core;
using Doppel.Tensors.IO;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Tensors.Tests;

/// <summary>
/// Exact resume: 3 updates, the parameters and the optimiser saved to files, a fresh model and a
/// fresh optimiser (built with a wrong learning rate and momentum, so the restored scalars must
/// take effect) loaded from them, 3 more updates: bit for bit the same as 6 uninterrupted updates,
/// parameters and every state tensor, for each optimiser and schedule.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "doppel-resume-" + Guid.NewGuid().ToString("N"));

    public ResumeTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Builds an optimiser; "fresh" ones get wrong scalars that the checkpoint must overwrite.</summary>
    private delegate Optimizer Factory(IEnumerable<(string, Tensor)> parameters, bool fresh);

    private static float Lr(float lr, bool fresh) => fresh ? lr * 7 : lr;

    public static readonly TheoryData<string> Cases = new()
    {
        "adam", "adam+cosine", "adamw", "adamw+warmup_step", "sgd", "sgd_momentum", "sgd_nesterov_wd+linear",
        "sgd_momentum_ramp", "sgd_momentum_by_hand", "sgd+constant",
    };

    private static Optimizer Make(string name, IEnumerable<(string, Tensor)> ps, bool fresh) => name switch
    {
        "adam" => new Adam(ps, Lr(1e-2f, fresh), 0.9f),
        "adam+cosine" => new Adam(ps, Lr(1e-2f, fresh), 0.9f) { LearningRateSchedule = new CosineAnnealingLr(1e-2, tMax: 5, etaMin: 1e-4) },
        "adamw" => new AdamW(ps, Lr(1e-2f, fresh), weightDecay: 0.1f),
        "adamw+warmup_step" => new AdamW(ps, Lr(1e-2f, fresh)) { LearningRateSchedule = new LinearWarmup(new StepLr(1e-2, 2, 0.5), 2, 0.1) },
        "sgd" => new Sgd(ps, Lr(0.05f, fresh)),
        "sgd_momentum" => new Sgd(ps, Lr(0.05f, fresh), momentum: fresh ? 0.1f : 0.9f),
        "sgd_nesterov_wd+linear" => new Sgd(ps, Lr(0.05f, fresh), momentum: 0.9f, nesterov: true, weightDecay: 1e-2f) { LearningRateSchedule = LinearLr.Decay(0.05, 0.005, 5) },
        "sgd_momentum_ramp" => new Sgd(ps, Lr(0.05f, fresh), momentum: 0.5f) { MomentumSchedule = new MomentumRamp(0.5, 0.7, 1, 5) },
        "sgd_momentum_by_hand" => new Sgd(ps, Lr(0.05f, fresh), momentum: fresh ? 0f : 0.5f),
        "sgd+constant" => new Sgd(ps, Lr(0.05f, fresh), momentum: 0.8f) { LearningRateSchedule = new ConstantLr(0.03) },
        _ => throw new ArgumentException(name),
    };

    /// <summary>Two parameters (awkward sizes), loss = sum((w * a - t)^2) + sum(sin(b)), one update per call.</summary>
    private sealed class Model
    {
        private static readonly float[] A = Enumerable.Range(0, 37).Select(i => 0.5f + 0.03f * i).ToArray();
        private static readonly float[] T = Enumerable.Range(0, 37).Select(i => MathF.Sin(0.7f * i)).ToArray();

        public Model()
        {
            W = Tensor.Parameter(Tensor.FromArray(Enumerable.Range(0, 37).Select(i => MathF.Cos(1.3f * i)).ToArray(), 37), "w");
            B = Tensor.Parameter(Tensor.FromArray(Enumerable.Range(0, 15).Select(i => 0.1f * i - 0.7f).ToArray(), 3, 5), "b");
        }

        public Tensor W { get; }
        public Tensor B { get; }
        public (string, Tensor)[] Named => [("w", W), ("b", B)];

        public void Train(Optimizer opt, int steps, string name)
        {
            for (int s = 0; s < steps; s++)
            {
                if (name == "sgd_momentum_by_hand") ((Sgd)opt).Momentum = 0.5f + 0.1f * opt.Step; // a trainer's own momentum rule
                using var scope = TensorScope.Begin();
                var fit = Ops.Sum(Ops.Square(Ops.Sub(Ops.Mul(W, Tensor.FromArray(A, 37)), Tensor.FromArray(T, 37))));
                Ops.Add(fit, Ops.Sum(Ops.Mul(B, B))).Backward();
                opt.StepAndZeroGrad();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Three_steps_save_restore_three_steps_equals_six_steps(string name)
    {
        var straight = new Model();
        var straightOpt = Make(name, straight.Named, fresh: false);
        straight.Train(straightOpt, 6, name);

        var first = new Model();
        var firstOpt = Make(name, first.Named, fresh: false);
        first.Train(firstOpt, 3, name);
        string weights = Path.Combine(_dir, "weights.safetensors"), state = Path.Combine(_dir, "optimizer.safetensors");
        SafeTensors.Save(weights, first.Named);
        OptimizerCheckpoint.Save(state, firstOpt);

        var resumed = new Model();
        var resumedOpt = Make(name, resumed.Named, fresh: true);
        SafeTensors.LoadInto(weights, resumed.Named);
        OptimizerCheckpoint.Load(state, resumedOpt);
        Assert.Equal(3, resumedOpt.Step);
        Assert.Equal(firstOpt.ScalarState(), resumedOpt.ScalarState());
        resumed.Train(resumedOpt, 3, name);

        Bitwise(straight.W, resumed.W, "w");
        Bitwise(straight.B, resumed.B, "b");
        var expectedState = straightOpt.State().ToList();
        var actualState = resumedOpt.State().ToList();
        Assert.Equal(expectedState.Select(s => s.Name), actualState.Select(s => s.Name));
        for (int i = 0; i < expectedState.Count; i++) Bitwise(expectedState[i].Tensor, actualState[i].Tensor, expectedState[i].Name);
        Assert.Equal(straightOpt.ScalarState(), resumedOpt.ScalarState());
        Assert.NotEqual(first.W.ToArray(), resumed.W.ToArray()); // the last 3 steps moved it
    }

    private static void Bitwise(Tensor expected, Tensor actual, string what)
    {
        var e = expected.Span;
        var a = actual.Span;
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(e[i]) == BitConverter.SingleToInt32Bits(a[i]), $"{what}[{i}]: resumed {a[i]:R} vs uninterrupted {e[i]:R}");
    }

    [Fact]
    public void Scalar_state_names_each_number_and_survives_json()
    {
        var p = Tensor.Parameter(Tensor.Ones(3), "p");
        var sgd = new Sgd([("p", p)], lr: 0.1f, momentum: 0.7f) { Step = 41 };
        var scalars = sgd.ScalarState();
        Assert.Equal(["lr", "sgd.momentum", "step"], scalars.Keys.Order());
        var back = JsonSerializer.Deserialize<Dictionary<string, double>>(JsonSerializer.Serialize(scalars))!;
        var other = new Sgd([("p", p)], lr: 1f);
        other.LoadScalarState(back);
        Assert.Equal((41L, 0.1f, 0.7f), (other.Step, other.LearningRate, other.Momentum));
        Assert.Equal(["lr", "step"], new Adam([("p", p)]).ScalarState().Keys.Order());
    }

    [Fact]
    public void Loading_another_optimisers_state_is_refused_with_a_hint()
    {
        var p = Tensor.Parameter(Tensor.Ones(3), "p");
        string path = Path.Combine(_dir, "adam.safetensors");
        OptimizerCheckpoint.Save(path, new Adam([("p", p)]));
        var e = Assert.Throws<DoppelException>(() => OptimizerCheckpoint.Load(path, new Sgd([("p", p)], 0.1f)));
        Assert.Contains("sgd.momentum_buffer.p", e.Message); // the tensors do not fit
        var adamw = Assert.Throws<DoppelException>(() => OptimizerCheckpoint.Load(path, new AdamW([("p", p)])));
        Assert.NotNull(adamw.Hint);
        var missing = Assert.Throws<DoppelException>(() => new Sgd([("p", p)], 0.1f).LoadScalarState(new Dictionary<string, double> { ["step"] = 1, ["lr"] = 0.1 }));
        Assert.Contains("sgd.momentum", missing.Message);
        Assert.Throws<DoppelException>(() => new Adam([("p", p)]).LoadScalarState(new Dictionary<string, double> { ["step"] = 1.5, ["lr"] = 0.1 }));
    }
}
