using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Tensors.Tests;

/// <summary>The module base: names, buffers, modes, freezing, state dicts, Sequential and the initialisers.</summary>
public sealed class ModuleTests
{
    /// <summary>A layer with a buffer that counts forward passes in training mode only.</summary>
    private sealed class Counting : Module<Tensor, Tensor>
    {
        public Counting(Rng rng)
        {
            Fc = AddModule("fc", new Linear(3, 2, rng));
            Seen = AddBuffer("seen", Tensor.Zeros(1));
        }

        public Linear Fc { get; }
        public Tensor Seen { get; }

        public override Tensor Forward(Tensor input)
        {
            if (Training) Seen.Data[0] += 1;
            return Fc.Forward(input);
        }
    }

    private static Sequential Net(ulong seed)
    {
        var rng = new Rng(seed);
        return new Sequential(new Counting(rng), new LeakyReLU(0.2f), new Linear(2, 1, rng));
    }

    [Fact]
    public void Sequential_names_children_by_position_and_buffers_join_the_state_dict()
    {
        var net = Net(1);
        Assert.Equal(["0.fc.weight", "0.fc.bias", "2.weight", "2.bias"], net.NamedParameters().Select(p => p.Name));
        Assert.Equal(["0.seen"], net.NamedBuffers().Select(b => b.Name));
        Assert.Equal(["0.fc.weight", "0.fc.bias", "2.weight", "2.bias", "0.seen"], net.StateDict().Select(s => s.Name));
        Assert.False(net.NamedBuffers().Single().Tensor.RequiresGrad);
        Assert.Equal(3 * 2 + 2 + 2 + 1, net.ParameterCount);
    }

    [Fact]
    public void Eval_reaches_every_descendant_and_Train_brings_it_back()
    {
        var net = Net(2);
        var counting = (Counting)net[0];
        using var scope = TensorScope.Begin();
        var x = Tensor.Ones(4, 3);
        net.Forward(x);
        net.Eval();
        Assert.All(net.NamedModules(), m => Assert.False(m.Module.Training));
        net.Forward(x);
        Assert.Equal(1f, counting.Seen.Data[0]);
        net.Train();
        Assert.All(net.NamedModules(), m => Assert.True(m.Module.Training));
        net.Forward(x);
        Assert.Equal(2f, counting.Seen.Data[0]);
    }

    [Fact]
    public void A_frozen_module_gets_no_gradient_but_passes_one_to_its_input()
    {
        var net = Net(3);
        net[0].Freeze();
        using var scope = TensorScope.Begin();
        var x = Tensor.Ones(2, 3);
        x.RequiresGrad = true;
        Ops.Sum(net.Forward(x)).Backward();
        Assert.Null(((Counting)net[0]).Fc.Weight.Grad);
        Assert.NotNull(((Linear)net[2]).Weight.Grad);
        Assert.NotNull(x.Grad);
        Assert.Contains(x.Grad!.ToArray(), v => v != 0f);
        Assert.Equal(["2.weight", "2.bias"], net.NamedTrainableParameters().Select(p => p.Name));

        // An optimiser over every parameter leaves the frozen ones as they were.
        var before = ((Counting)net[0]).Fc.Weight.ToArray();
        new Adam(net.NamedParameters(), 0.1f).StepAndZeroGrad();
        Assert.Equal(before, ((Counting)net[0]).Fc.Weight.ToArray());
        net[0].Unfreeze();
        Assert.Equal(4, net.NamedTrainableParameters().Count());
    }

    [Fact]
    public void LoadStateDict_copies_parameters_and_buffers_by_name()
    {
        var a = Net(4);
        ((Counting)a[0]).Seen.Data[0] = 7;
        var b = Net(5);
        b.LoadStateDict(a.StateDict().ToDictionary(s => s.Name, s => s.Tensor));
        foreach (var ((na, ta), (nb, tb)) in a.StateDict().Zip(b.StateDict()))
        {
            Assert.Equal(na, nb);
            Assert.Equal(ta.ToArray(), tb.ToArray());
            Assert.NotSame(ta, tb);
        }
    }

    [Fact]
    public void LoadStateDict_names_every_problem_and_copies_nothing()
    {
        var a = Net(6);
        var b = Net(7);
        var before = b.StateDict().Select(s => s.Tensor.ToArray()).ToList();
        var state = a.StateDict().Where(s => s.Name != "0.seen").ToDictionary(s => s.Name, s => s.Tensor);
        state["2.weight"] = Tensor.Zeros(3, 3).Persist();
        state["extra"] = Tensor.Zeros(1).Persist();
        var e = Assert.Throws<StateDictMismatchException>(() => b.LoadStateDict(state));
        Assert.Contains("missing '0.seen'", e.Message);
        Assert.Contains("'2.weight' is [3, 3]", e.Message);
        Assert.Contains("unexpected 'extra'", e.Message);
        Assert.Equal(before, b.StateDict().Select(s => s.Tensor.ToArray()).ToList());
        state.Remove("extra");
        state["2.weight"] = a.StateDict().First(s => s.Name == "2.weight").Tensor;
        state["0.seen"] = Tensor.Zeros(1).Persist();
        b.LoadStateDict(state); // complete now
        state["extra"] = Tensor.Zeros(1).Persist();
        b.LoadStateDict(state, strict: false);
    }

    [Fact]
    public void Names_must_be_single_segments_and_unique()
    {
        Assert.Throws<ArgumentException>(() => new BadNames(dotted: true));
        Assert.Throws<ArgumentException>(() => new BadNames(dotted: false));
    }

    private sealed class BadNames : Module
    {
        public BadNames(bool dotted)
        {
            AddParameter(dotted ? "a.b" : "w", Tensor.Zeros(1));
            if (!dotted) AddBuffer("w", Tensor.Zeros(1));
        }
    }

    [Fact]
    public void Initialisers_draw_the_distributions_they_name()
    {
        var rng = new Rng(8);
        var glorot = new Linear(300, 100, rng, init: WeightInit.GlorotUniform);
        float limit = MathF.Sqrt(6f / 400);
        Assert.All(glorot.Weight.Data, v => Assert.InRange(v, -limit, limit));
        Assert.True(glorot.Weight.Data.Max() > 0.9f * limit);

        var normal = new Conv2d(16, 32, 4, 2, 1, rng, bias: false, init: WeightInit.Normal(0.02f));
        Assert.Null(normal.Bias);
        Assert.Equal(["weight"], normal.NamedParameters().Select(p => p.Name));
        double mean = normal.Weight.Data.Average(v => (double)v);
        double std = Math.Sqrt(normal.Weight.Data.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -0.002, 0.002);
        Assert.InRange(std, 0.019, 0.021);

        var uniform = new Linear(100, 20, rng, init: WeightInit.Uniform(0.005f));
        Assert.All(uniform.Weight.Data, v => Assert.InRange(v, -0.005f, 0.005f));
        Assert.True(uniform.Weight.Data.Max() > 0.0045f && uniform.Weight.Data.Min() < -0.0045f);

        // The default stays He uniform and draws the same numbers as before the choice existed.
        var he = new Linear(50, 10, new Rng(9));
        var expected = Tensor.Empty(10, 50).Persist();
        Init.HeUniform(expected, 50, new Rng(9));
        Assert.Equal(expected.ToArray(), he.Weight.ToArray());
    }
}
