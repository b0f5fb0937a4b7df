using Doppel.Tensors.Autograd;
using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>Reverse-mode semantics: accumulation, grad mode, what backward accepts, what it frees.</summary>
public sealed class AutogradTests
{
    [Fact]
    public void A_tensor_used_twice_accumulates_both_contributions()
    {
        var x = Tensor.FromArray([1.5f, -2f, 3f], 3);
        x.RequiresGrad = true;
        Ops.Sum(Ops.Mul(x, x)).Backward();
        Assert.Equal([3f, -4f, 6f], x.Grad!.Data);
    }

    [Fact]
    public void A_diamond_graph_sums_every_path()
    {
        // z = sum(y + y * a) with y = a * b: dz/da = b + 2ab... checked numerically and by hand.
        var a = T.Uniform(500, -1, 1, 4);
        var b = T.Uniform(501, -1, 1, 4);
        GradCheck.Assert(t => { var y = Ops.Mul(t[0], t[1]); return Ops.Add(y, Ops.Mul(y, t[0])); }, a, b);
        var y = Ops.Mul(a, b);
        Ops.Sum(Ops.Add(y, Ops.Mul(y, a))).Backward();
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(b.Data[i] + 2 * a.Data[i] * b.Data[i], a.Grad!.Data[i], 5);
            Assert.Equal(a.Data[i] + a.Data[i] * a.Data[i], b.Grad!.Data[i], 5);
        }
    }

    [Fact]
    public void Parameter_grads_accumulate_across_backward_calls_until_zeroed()
    {
        var w = Tensor.Parameter(Tensor.FromArray([2f, -1f], 2), "w");
        var x = Tensor.FromArray([3f, 4f], 2);
        Ops.Sum(Ops.Mul(w, x)).Backward();
        Assert.Equal([3f, 4f], w.Grad!.Data);
        Ops.Sum(Ops.Mul(w, x)).Backward();
        Assert.Equal([6f, 8f], w.Grad!.Data);
        w.ZeroGrad();
        Assert.Null(w.Grad);
        Ops.Sum(Ops.Mul(w, x)).Backward();
        Assert.Equal([3f, 4f], w.Grad!.Data);
        Assert.Null(x.Grad); // a constant input gets no gradient
    }

    [Fact]
    public void Grad_mode_off_records_nothing_and_nests()
    {
        var w = Tensor.Parameter(Tensor.Ones(3), "w");
        Assert.True(GradMode.Enabled);
        using (GradMode.Off())
        {
            using (GradMode.Off()) Assert.False(GradMode.Enabled);
            Assert.False(GradMode.Enabled); // still off after the inner block
            var y = Ops.Sum(Ops.Mul(w, 2f));
            Assert.False(y.RequiresGrad);
            Assert.Null(y.Node);
            var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
            Assert.Contains("does not require grad", e.Message);
        }
        Assert.True(GradMode.Enabled);
        var z = Ops.Sum(Ops.Mul(w, 2f));
        Assert.True(z.RequiresGrad);
        z.Backward();
        Assert.Equal([2f, 2f, 2f], w.Grad!.Data);
    }

    [Fact]
    public void Grad_mode_is_per_thread()
    {
        using (GradMode.Off())
        {
            bool other = false;
            var thread = new Thread(() => other = GradMode.Enabled);
            thread.Start();
            thread.Join();
            Assert.True(other);
        }
    }

    [Fact]
    public void Backward_on_a_non_scalar_needs_a_gradient_of_its_shape()
    {
        var x = T.Uniform(510, -1, 1, 2, 3);
        var y = Ops.Mul(x, 3f);
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("[2, 3]", e.Message);
        Assert.Throws<ShapeMismatchException>(() => y.Backward(Tensor.Ones(3, 2)));
        y.Backward(Tensor.Full(2f, 2, 3));
        Assert.All(x.Grad!.Data, g => Assert.Equal(6f, g));
    }

    [Fact]
    public void Backward_frees_intermediate_gradients_and_consumes_the_graph()
    {
        var x = T.Uniform(520, -1, 1, 4);
        var h = Ops.Tanh(x);
        var loss = Ops.Sum(Ops.Square(h));
        loss.Backward();
        Assert.NotNull(x.Grad);          // leaves keep their gradient
        Assert.Null(h.Grad);             // intermediates are freed once propagated
        Assert.Null(h.Node);             // and the graph is released
        Assert.Equal(1f, loss.Grad!.Item());
    }

    [Fact]
    public void A_second_backward_through_a_consumed_graph_fails_loudly()
    {
        var w = Tensor.Parameter(Tensor.FromArray([0.5f, -1f], 2), "w");
        var loss = Ops.Sum(Ops.Square(w));
        loss.Backward();
        var e = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("already consumed", e.Message);
        Assert.Equal([1f, -2f], w.Grad!.Data); // unchanged by the refused pass
    }

    [Fact]
    public void Two_losses_sharing_an_intermediate_need_one_backward_of_their_sum()
    {
        // Backward of the first loss consumes the shared part; the second pass would otherwise
        // stop at h and silently give w nothing.
        var w = Tensor.Parameter(Tensor.FromArray([0.5f, -1f], 2), "w");
        var h = Ops.Tanh(w);
        var a = Ops.Sum(h);
        var b = Ops.Sum(Ops.Square(h));
        a.Backward();
        var before = w.Grad!.ToArray();
        Assert.Throws<InvalidOperationException>(() => b.Backward());
        Assert.Equal(before, w.Grad!.Data);
        Assert.Null(h.Grad);

        w.ZeroGrad();
        var h2 = Ops.Tanh(w);
        Ops.Add(Ops.Sum(h2), Ops.Sum(Ops.Square(h2))).Backward();
        for (int i = 0; i < 2; i++)
        {
            double t = Math.Tanh(w.Data[i]);
            Assert.Equal((1 + 2 * t) * (1 - t * t), w.Grad!.Data[i], 5);
        }
    }

    [Fact]
    public void Ops_on_constants_do_not_require_grad()
    {
        var a = Tensor.Ones(2);
        var y = Ops.Exp(Ops.Add(a, a));
        Assert.False(y.RequiresGrad);
        Assert.Null(y.Node);
        Assert.Throws<InvalidOperationException>(() => Ops.Sum(y).Backward());
    }

    [Fact]
    public void Detach_and_clone_copy_values_without_history()
    {
        var x = T.Uniform(530, -1, 1, 3);
        var y = Ops.Mul(x, 2f);
        var d = y.Detach();
        Assert.False(d.RequiresGrad);
        Assert.Null(d.Node);
        Assert.Equal(y.Data, d.Data);
        d.Data[0] = 100f;
        Assert.NotEqual(100f, y.Data[0]);
    }
}
