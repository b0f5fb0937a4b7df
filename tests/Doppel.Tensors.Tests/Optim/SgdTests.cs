using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Tensors.Tests;

/// <summary>SGD with momentum against PyTorch's rule written out in double.</summary>
public sealed class SgdTests
{
    /// <summary>
    /// loss = sum((p * a - target)^2) over 37 elements (vector path and tail), six updates with the
    /// momentum changed before each one: PyTorch's buf = mu buf + (g + wd p); d = nesterov ? g' + mu buf : buf; p -= lr d.
    /// </summary>
    [Theory]
    [InlineData(0.05f, 0f, false, 0f)]
    [InlineData(0.05f, 0.9f, false, 0f)]
    [InlineData(0.02f, 0.9f, true, 1e-2f)]
    [InlineData(0.05f, 0.5f, false, 1e-3f)]
    public void Steps_match_pytorchs_rule_with_a_changing_momentum(float lr, float mu0, bool nesterov, float wd)
    {
        const int n = 37, steps = 6;
        var rng = new Rng(700);
        var a = new float[n];
        var target = new float[n];
        var init = new float[n];
        rng.FillUniform(a, 0.5f, 1.5f);
        rng.FillUniform(target, -1f, 1f);
        rng.FillUniform(init, -1f, 1f);
        var p = Tensor.Parameter(Tensor.FromArray(init, n), "p");
        var sgd = new Sgd([("p", p)], lr, mu0, nesterov, wd);
        var at = Tensor.FromArray(a, n).Persist();
        var tt = Tensor.FromArray(target, n).Persist();

        var rp = init.Select(x => (double)x).ToArray();
        var buf = new double[n];
        for (int t = 0; t < steps; t++)
        {
            float mu = mu0 == 0 ? 0 : mu0 + 0.01f * t; // momentum changed between steps
            sgd.Momentum = mu;
            using (TensorScope.Begin())
            {
                Ops.Sum(Ops.Square(Ops.Sub(Ops.Mul(p, at), tt))).Backward();
                sgd.StepAndZeroGrad();
            }
            for (int i = 0; i < n; i++)
            {
                double d = 2 * a[i] * (rp[i] * a[i] - target[i]) + wd * rp[i];
                if (mu != 0)
                {
                    buf[i] = mu * buf[i] + d;
                    d = nesterov ? d + mu * buf[i] : buf[i];
                }
                rp[i] -= lr * d;
            }
            for (int i = 0; i < n; i++)
                Assert.True(Math.Abs(p.Data[i] - rp[i]) < 1e-5 * (1 + Math.Abs(rp[i])), $"step {t + 1} element {i}: {p.Data[i]} vs {rp[i]}");
        }
        var state = sgd.State().Single();
        Assert.Equal("sgd.momentum_buffer.p", state.Name);
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(state.Tensor.Data[i] - buf[i]) < 1e-5 * (1 + Math.Abs(buf[i])), $"buffer {i}");
        Assert.Equal(steps, sgd.Step);
        Assert.Equal(mu0 == 0 ? 0 : mu0 + 0.05f, (float)sgd.ScalarState()["sgd.momentum"]);
    }

    [Fact]
    public void First_step_is_a_plain_gradient_step_and_unused_parameters_stay()
    {
        var used = Tensor.Parameter(Tensor.FromArray([1f, 2f], 2), "used");
        var unused = Tensor.Parameter(Tensor.Ones(2), "unused");
        var sgd = new Sgd([("used", used), ("unused", unused)], lr: 0.1f, momentum: 0.9f);
        used.AccumulateGrad([1f, -2f]);
        sgd.StepAndZeroGrad();
        Assert.Equal([1f - 0.1f, 2f + 0.2f], used.ToArray()); // buf = g on the first step, as PyTorch's clone
        Assert.Equal([1f, 1f], unused.ToArray());
        used.AccumulateGrad([1f, -2f]);
        sgd.StepAndZeroGrad();
        Assert.Equal(0.9f - 0.1f * (0.9f * 1f + 1f), used.Data[0], 6);
    }

    [Fact]
    public void Momentum_schedule_sets_the_momentum_of_each_update()
    {
        var p = Tensor.Parameter(Tensor.Ones(3), "p");
        var sgd = new Sgd([("p", p)], lr: 0.1f, momentum: 0.1f) { MomentumSchedule = new MomentumRamp(0.5, 0.7, start: 1, saturate: 3) };
        var seen = new List<float>();
        for (int t = 0; t < 5; t++)
        {
            p.AccumulateGrad([1f, 1f, 1f]);
            sgd.StepAndZeroGrad();
            seen.Add(sgd.Momentum);
        }
        Assert.Equal([0.5f, 0.5f, 0.6f, 0.7f, 0.7f], seen);
    }

    [Fact]
    public void Bad_hyperparameters_are_refused()
    {
        var p = Tensor.Parameter(Tensor.Ones(1), "p");
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([("p", p)], lr: -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([("p", p)], lr: 0.1f, momentum: -0.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([("p", p)], lr: 0.1f, weightDecay: float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([("p", p)], beta1: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([("p", p)], weightDecay: -1f));
    }
}
