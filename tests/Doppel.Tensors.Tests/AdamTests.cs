using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Tensors.Tests;

/// <summary>Adam against PyTorch's update rule in double; Rng and He-uniform initialisation.</summary>
public sealed class AdamTests
{
    /// <summary>
    /// loss = sum((p * a - target)^2): Adam steps in the engine and the same steps written out in
    /// double from PyTorch's torch.optim.Adam (no weight decay, no amsgrad):
    /// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
    /// 37 elements exercise both a vector path and its scalar tail.
    /// </summary>
    [Theory]
    [InlineData(0.1f, 0.9f, 0.999f, 1e-8f)]
    [InlineData(5e-2f, 0.5f, 0.999f, 1e-8f)] // the face-swap defaults' betas
    [InlineData(1e-2f, 0.9f, 0.99f, 1e-3f)]  // an eps large enough to matter
    public void Steps_match_pytorchs_formula(float lr, float b1, float b2, float eps)
    {
        const int n = 37, steps = 6;
        var rng = new Rng(600);
        var a = new float[n];
        var target = new float[n];
        var init = new float[n];
        rng.FillUniform(a, 0.5f, 2f);
        rng.FillUniform(target, -1f, 1f);
        rng.FillUniform(init, -1f, 1f);

        var p = Tensor.Parameter(Tensor.FromArray(init, n), "p");
        var adam = new Adam([("p", p)], lr, b1, b2, eps);
        var at = Tensor.FromArray(a, n).Persist();
        var tt = Tensor.FromArray(target, n).Persist();

        var rp = init.Select(v => (double)v).ToArray();
        var m = new double[n];
        var v = new double[n];
        for (int t = 1; t <= steps; t++)
        {
            using (TensorScope.Begin())
            {
                Ops.Sum(Ops.Square(Ops.Sub(Ops.Mul(p, at), tt))).Backward();
                adam.StepAndZeroGrad();
            }
            for (int i = 0; i < n; i++)
            {
                double g = 2 * a[i] * (rp[i] * a[i] - target[i]);
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(b1, t)), vHat = v[i] / (1 - Math.Pow(b2, t));
                rp[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
            Assert.Equal(t, adam.Step);
            Assert.Null(p.Grad);
            for (int i = 0; i < n; i++)
                Assert.True(Math.Abs(p.Data[i] - rp[i]) < 2e-5 + 1e-4 * Math.Abs(rp[i]), $"step {t} element {i}: {p.Data[i]} vs PyTorch formula {rp[i]}");
        }

        // The state is exposed under stable names and holds m and v.
        var state = adam.State().ToDictionary(s => s.Name, s => s.Tensor);
        Assert.Equal(["adam.m.p", "adam.v.p"], state.Keys.Order());
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(state["adam.m.p"].Data[i] - m[i]) < 1e-4 * (1 + Math.Abs(m[i])), $"m[{i}]");
            Assert.True(Math.Abs(state["adam.v.p"].Data[i] - v[i]) < 1e-4 * (1 + Math.Abs(v[i])), $"v[{i}]");
        }
    }

    [Fact]
    public void First_step_moves_each_weight_by_about_lr_against_its_gradient()
    {
        var p = Tensor.Parameter(Tensor.FromArray([1f, -1f, 0.5f], 3), "p");
        var adam = new Adam([("p", p)], lr: 0.01f);
        Ops.Sum(Ops.Mul(p, Tensor.FromArray([3f, -0.001f, 0f], 3))).Backward();
        adam.StepAndZeroGrad();
        Assert.Equal(1f - 0.01f, p.Data[0], 5);
        Assert.Equal(-1f + 0.01f, p.Data[1], 4);
        Assert.Equal(0.5f, p.Data[2]); // zero gradient: no move
    }

    [Fact]
    public void Parameters_without_a_gradient_are_left_alone()
    {
        var used = Tensor.Parameter(Tensor.Ones(2), "used");
        var unused = Tensor.Parameter(Tensor.Ones(2), "unused");
        var adam = new Adam([("used", used), ("unused", unused)], lr: 0.1f);
        Ops.Sum(used).Backward();
        adam.StepAndZeroGrad();
        Assert.All(used.Data, x => Assert.True(x < 1f));
        Assert.All(unused.Data, x => Assert.Equal(1f, x));
        Assert.All(adam.State().First(s => s.Name == "adam.m.unused").Tensor.Data, x => Assert.Equal(0f, x));
    }

    // ---- Rng ---------------------------------------------------------------------------------

    [Fact]
    public void Same_seed_gives_the_same_numbers_and_different_seeds_differ()
    {
        var a = new Rng(7);
        var b = new Rng(7);
        var c = new Rng(8);
        var xa = Enumerable.Range(0, 100).Select(_ => a.NextULong()).ToArray();
        var xb = Enumerable.Range(0, 100).Select(_ => b.NextULong()).ToArray();
        var xc = Enumerable.Range(0, 100).Select(_ => c.NextULong()).ToArray();
        Assert.Equal(xa, xb);
        Assert.NotEqual(xa, xc);
        Assert.True(xa.Zip(xc).Count(p => p.First == p.Second) == 0);
    }

    [Fact]
    public void State_restores_the_sequence()
    {
        var a = new Rng(9);
        a.Normal();
        var state = a.State;
        var next = Enumerable.Range(0, 10).Select(_ => a.NextDouble()).ToArray();
        var b = new Rng(123);
        b.Restore(state);
        Assert.Equal(next, Enumerable.Range(0, 10).Select(_ => b.NextDouble()).ToArray());
        Assert.Throws<ArgumentException>(() => b.Restore([1UL, 2UL]));
    }

    [Fact]
    public void Uniform_and_integers_stay_in_range()
    {
        var rng = new Rng(10);
        var values = new float[10000];
        rng.FillUniform(values, -2f, 3f);
        Assert.All(values, x => Assert.InRange(x, -2f, 3f));
        Assert.InRange(values.Average(), 0.4, 0.6);
        var ints = Enumerable.Range(0, 10000).Select(_ => rng.Next(7)).ToArray();
        Assert.All(ints, i => Assert.InRange(i, 0, 6));
        Assert.Equal(7, ints.Distinct().Count());
        for (int i = 0; i < 1000; i++) Assert.InRange(rng.NextDouble(), 0.0, 0.9999999999);
    }

    [Fact]
    public void Normal_has_mean_0_and_std_1()
    {
        var rng = new Rng(11);
        var x = Enumerable.Range(0, 10000).Select(_ => rng.Normal()).ToArray();
        double mean = x.Average(), std = Math.Sqrt(x.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.04, 0.04);  // 4 standard errors
        Assert.InRange(std, 0.97, 1.03);
        var f = new float[10000];
        new Rng(12).FillNormal(f, 3f, 0.5f);
        Assert.InRange(f.Average(), 2.98, 3.02);
    }

    // ---- He-uniform ----------------------------------------------------------------------------

    [Fact]
    public void He_uniform_fills_within_the_bounds_with_the_right_variance()
    {
        const int fanIn = 3 * 3 * 16;
        double limit = Math.Sqrt(6.0 / fanIn);
        var w = Tensor.Empty(32, 3, 3, 16);
        Init.HeUniform(w, fanIn, new Rng(13));
        Assert.All(w.Data, v => Assert.InRange(v, -limit, limit));
        Assert.True(w.Data.Max() > 0.98 * limit && w.Data.Min() < -0.98 * limit, "values should reach close to both bounds");
        double variance = w.Data.Select(v => (double)v * v).Average();
        Assert.InRange(variance, 0.9 * 2.0 / fanIn, 1.1 * 2.0 / fanIn); // He: Var = 2 / fanIn

        var again = Tensor.Empty(32, 3, 3, 16);
        Init.HeUniform(again, fanIn, new Rng(13));
        Assert.Equal(w.Data, again.Data);
    }

    [Fact]
    public void Layers_use_he_uniform_weights_and_zero_biases()
    {
        var conv = new Nn.Conv2d(4, 6, 5, 2, 2, new Rng(14));
        Assert.Equal([6, 5, 5, 4], conv.Weight.Shape);
        Assert.All(conv.Weight.Data, v => Assert.InRange(v, -Math.Sqrt(6.0 / 100), Math.Sqrt(6.0 / 100)));
        Assert.All(conv.Bias!.Data, v => Assert.Equal(0f, v));
        Assert.Equal(["weight", "bias"], conv.NamedParameters().Select(p => p.Name));
        Assert.True(conv.Weight.RequiresGrad);
        Assert.Equal(6 * 5 * 5 * 4 + 6, conv.ParameterCount);
    }
}
