using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Tensors.Tests;

/// <summary>AdamW against PyTorch 1.13's torch.optim.AdamW written out in double.</summary>
public sealed class AdamWTests
{
    [Theory]
    [InlineData(1e-2f, 0.9f, 0.999f, 1e-8f, 0.1f)]
    [InlineData(5e-2f, 0.5f, 0.99f, 1e-3f, 1e-2f)]
    public void Steps_decay_the_weights_then_take_adams_step(float lr, float b1, float b2, float eps, float wd)
    {
        const int n = 33, steps = 5;
        var rng = new Rng(800);
        var init = new float[n];
        rng.FillUniform(init, -1f, 1f);
        var p = Tensor.Parameter(Tensor.FromArray(init, n), "w");
        var opt = new AdamW([("w", p)], lr, b1, b2, eps, wd);
        var rp = init.Select(x => (double)x).ToArray();
        var m = new double[n];
        var v = new double[n];
        for (int t = 1; t <= steps; t++)
        {
            var g = rp.Select((x, i) => (float)(Math.Sin(3 * x + i) + 0.1 * t)).ToArray();
            p.AccumulateGrad(g);
            opt.StepAndZeroGrad();
            for (int i = 0; i < n; i++)
            {
                rp[i] *= 1 - (double)lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                rp[i] -= lr / (1 - Math.Pow(b1, t)) * m[i] / (Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(b2, t)) + eps);
            }
            for (int i = 0; i < n; i++)
                Assert.True(Math.Abs(p.Data[i] - rp[i]) < 2e-6 * (1 + Math.Abs(rp[i])), $"step {t} element {i}: {p.Data[i]} vs {rp[i]}");
        }
        Assert.Equal(["adamw.m.w", "adamw.v.w"], opt.State().Select(s => s.Name));
    }

    /// <summary>Without decay AdamW is Adam (the fused decay multiplies by exactly 1).</summary>
    [Fact]
    public void Zero_weight_decay_is_adam_bit_for_bit()
    {
        var pa = Tensor.Parameter(Tensor.FromArray(Enumerable.Range(0, 21).Select(i => MathF.Cos(i)).ToArray(), 21), "p");
        var pw = Tensor.Parameter(pa.Clone(), "p");
        var adam = new Adam([("p", pa)], 1e-2f, 0.9f, 0.999f, 1e-8f);
        var adamw = new AdamW([("p", pw)], 1e-2f, 0.9f, 0.999f, 1e-8f, weightDecay: 0f);
        for (int t = 0; t < 4; t++)
        {
            var g = pa.Data.Select(x => x - 0.2f * t).ToArray();
            pa.AccumulateGrad(g);
            pw.AccumulateGrad(g);
            adam.StepAndZeroGrad();
            adamw.StepAndZeroGrad();
        }
        Assert.Equal(pa.ToArray(), pw.ToArray());
    }

    [Fact]
    public void Weight_decay_shrinks_weights_even_at_zero_gradient()
    {
        var p = Tensor.Parameter(Tensor.FromArray([2f, -4f], 2), "p");
        var opt = new AdamW([("p", p)], lr: 0.1f, weightDecay: 0.5f);
        p.AccumulateGrad([0f, 0f]);
        opt.StepAndZeroGrad();
        Assert.Equal([2f * 0.95f, -4f * 0.95f], p.ToArray()); // m = 0: only the decay moves them
    }
}
