using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;
using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>
/// Tensor lifetimes: scopes return buffers to the pool, KeepAlive and Persist let tensors out,
/// parameters live on, and a repeated training step does not grow the pool. These read the
/// process-wide <see cref="BufferPool.PooledFloats"/>, so they run with nothing else in parallel.
/// </summary>
[Collection(GlobalStateCollection.Name)]
public sealed class ScopeTests
{
    [Fact]
    public void Closing_a_scope_disposes_its_tensors_and_returns_their_buffers()
    {
        Tensor t;
        long before;
        using (TensorScope.Begin())
        {
            t = Tensor.Ones(1000, 7);
            t.Name = "activations";
            before = BufferPool.PooledFloats;
        }
        Assert.True(t.IsDisposed);
        Assert.True(BufferPool.PooledFloats >= before + 7000, $"pool grew by {BufferPool.PooledFloats - before}, expected >= 7000");
        var e = Assert.Throws<ObjectDisposedException>(() => t.Data);
        Assert.Contains("activations", e.Message);
        Assert.Contains("KeepAlive", e.Message);
        Assert.Contains("disposed", t.ToString());
    }

    [Fact]
    public void A_disposed_tensor_without_a_name_is_described_by_its_shape()
    {
        Tensor t;
        using (TensorScope.Begin()) t = Tensor.Zeros(3, 5);
        var e = Assert.Throws<ObjectDisposedException>(() => Ops.Add(t, t));
        Assert.Contains("[3, 5]", e.Message);
    }

    [Fact]
    public void Pool_reuses_returned_buffers()
    {
        float[] first;
        using (TensorScope.Begin()) first = Tensor.Empty(12345).Data;
        using (TensorScope.Begin())
        {
            var again = Tensor.Empty(12345).Data;
            Assert.Same(first, again);
        }
        Assert.Equal(0f, Tensor.Zeros(12345).Data.Max()); // Zeros clears a reused buffer
    }

    [Fact]
    public void KeepAlive_hands_a_tensor_to_the_enclosing_scope()
    {
        Tensor kept, dropped;
        using (var outer = TensorScope.Begin())
        {
            using (TensorScope.Begin())
            {
                kept = Tensor.Ones(4).KeepAlive();
                dropped = Tensor.Ones(4);
            }
            Assert.True(dropped.IsDisposed);
            Assert.False(kept.IsDisposed);
            Assert.Equal(4f, Ops.Sum(kept).Item());
        }
        Assert.True(kept.IsDisposed); // the outer scope owned it
    }

    [Fact]
    public void KeepAlive_from_the_outermost_scope_and_Persist_escape_every_scope()
    {
        Tensor kept, persisted;
        using (TensorScope.Begin())
        {
            using (TensorScope.Begin())
            {
                persisted = Tensor.Ones(3).Persist();
                kept = Tensor.Ones(3).KeepAlive();
            }
            kept.KeepAlive();
        }
        Assert.False(kept.IsDisposed);
        Assert.False(persisted.IsDisposed);
        kept.Dispose();
        persisted.Dispose();
        Assert.True(kept.IsDisposed);
        kept.Dispose(); // disposing twice is harmless
    }

    [Fact]
    public void Parameters_and_their_gradients_outlive_the_scope_they_were_made_in()
    {
        Tensor w;
        using (TensorScope.Begin())
        {
            w = Tensor.Parameter(Tensor.Ones(5), "w");
            Ops.Sum(Ops.Mul(w, 3f)).Backward();
        }
        Assert.False(w.IsDisposed);
        Assert.Equal(15f, w.Grad!.Data.Sum());
        w.Dispose();
        Assert.True(w.IsDisposed);
        Assert.Null(w.Grad); // disposing a tensor returns its gradient too
    }

    [Fact]
    public void Inner_scopes_do_not_dispose_outer_tensors()
    {
        using (TensorScope.Begin())
        {
            var outer = Tensor.Ones(2);
            using (TensorScope.Begin())
            {
                var inner = Ops.Add(outer, outer);
                Assert.Equal(4f, Ops.Sum(inner).Item());
            }
            Assert.False(outer.IsDisposed);
        }
    }

    private sealed class TinyNet : Module
    {
        private readonly Nn.Conv2d _conv;
        private readonly Nn.Linear _fc;

        public TinyNet(Rng rng)
        {
            _conv = AddModule("conv", new Nn.Conv2d(3, 8, 3, 2, 1, rng));
            _fc = AddModule("fc", new Nn.Linear(8 * 4 * 4, 4 * 4 * 12, rng));
        }

        public Tensor Forward(Tensor x)
        {
            var h = Ops.LeakyRelu(_conv.Forward(x), 0.1f);                   // (N, 4, 4, 8)
            var z = Ops.Sigmoid(_fc.Forward(Ops.Flatten(h)));                 // (N, 192)
            return Ops.PixelShuffle(Ops.Reshape(z, -1, 4, 4, 12), 2);         // (N, 8, 8, 3)
        }
    }

    [Fact]
    public void Repeated_training_steps_leave_the_pool_stable_and_parameters_alive()
    {
        var rng = new Rng(42);
        var net = new TinyNet(rng);
        var adam = new Adam(net.NamedParameters(), lr: 1e-2f);
        var xData = new float[2 * 8 * 8 * 3];
        rng.FillUniform(xData, 0, 1);
        var pooled = new List<long>();
        var losses = new List<float>();
        for (int step = 0; step < 5; step++)
        {
            using (TensorScope.Begin())
            {
                var x = Tensor.FromArray(xData, 2, 8, 8, 3);
                var y = net.Forward(x);
                var loss = Ops.Add(Ops.MseLoss(y, x), Ops.DssimLoss(y, x, window: 5));
                loss.Backward();
                losses.Add(loss.Item());
                adam.StepAndZeroGrad();
            }
            pooled.Add(BufferPool.PooledFloats);
        }
        for (int i = 2; i < pooled.Count; i++)
            Assert.True(pooled[i] == pooled[1], $"pool grew after step {i + 1}: {string.Join(", ", pooled)}");
        foreach (var (name, p) in net.NamedParameters())
        {
            Assert.False(p.IsDisposed, $"{name} was disposed");
            Assert.Null(p.Grad);
        }
        foreach (var (_, s) in adam.State()) Assert.False(s.IsDisposed);
        Assert.True(losses[^1] < losses[0], $"loss did not go down: {string.Join(", ", losses)}");
    }
}
