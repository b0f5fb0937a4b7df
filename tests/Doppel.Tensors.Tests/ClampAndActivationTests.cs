using Doppel.Tensors.Nn;
using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>
/// Clamp (values, gradient 0 outside and passing on the bounds), the activation kernels' vector
/// loops and scalar twins at awkward lengths, and the activation modules' gradient checks.
/// </summary>
public sealed class ClampAndActivationTests
{
    private static readonly int[] AwkwardLengths = [0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 129];

    /// <summary>Values in [-3, 3) with some exactly on the clamp bounds -1 and 1.5.</summary>
    private static float[] WithBounds(int n, ulong seed)
    {
        var v = new float[n];
        new Rng(seed).FillUniform(v, -3, 3);
        for (int i = 3; i < n; i += 11) v[i] = i % 2 == 0 ? -1f : 1.5f;
        return v;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Clamp_and_leaky_relu_on_vector_and_scalar_paths_at_awkward_lengths(bool vector) => KernelSwitch.Activations(vector, () =>
    {
        foreach (int n in AwkwardLengths)
        {
            var v = WithBounds(n, (ulong)n + 600);
            using var scope = TensorScope.Begin();
            var x = T.Leaf(v, n);
            var g = new float[n];
            new Rng((ulong)n + 601).FillUniform(g, -1, 1);
            var y = Ops.Clamp(x, -1f, 1.5f);
            Assert.Equal(v.Select(a => Math.Clamp(a, -1f, 1.5f)), y.Data);
            y.Backward(Tensor.FromArray(g, n));
            Assert.Equal(v.Select((a, i) => a >= -1f && a <= 1.5f ? g[i] : 0f), x.Grad!.Data);

            var x2 = T.Leaf(v, n);
            var leaky = Ops.LeakyRelu(x2, 0.2f);
            Assert.Equal(v.Select(a => a > 0 ? a : a * 0.2f), leaky.Data);
            leaky.Backward(Tensor.FromArray(g, n));
            Assert.Equal(v.Select((a, i) => a > 0 ? g[i] : g[i] * 0.2f), x2.Grad!.Data);
        }
    });

    [Fact]
    public void Clamp_keeps_NaN_and_min_above_max_gives_max()
    {
        var x = T.Leaf([float.NaN, -5f, 5f], 3);
        var y = Ops.Clamp(x, -1f, 1f);
        Assert.True(float.IsNaN(y.Data[0]));
        Assert.Equal([-1f, 1f], y.Data[1..]);
        y.Backward(Tensor.Ones(3));
        Assert.Equal([0f, 0f, 0f], x.Grad!.Data);
        Assert.Equal([2f, 2f], Ops.Clamp(Tensor.FromArray([0f, 9f], 2), 3f, 2f).Data);
    }

    [Fact]
    public void Clamp_gradient_check_away_from_the_bounds()
    {
        // Magnitudes in [0.05, 2) around each bound, so no finite-difference step crosses one.
        var d = T.AwayFromZero(610, 0.05f, 2f, 3, 4, 5);
        var x = T.Leaf(d.Data.Select((v, i) => v + (i % 2 == 0 ? -1f : 1.5f)).ToArray(), 3, 4, 5);
        GradCheck.Assert(t => Ops.Clamp(t[0], -1f, 1.5f), x);
    }

    public static TheoryData<string> Modules() => ["relu", "leaky_relu", "tanh", "sigmoid", "softmax", "log_softmax", "clamp"];

    [Theory]
    [MemberData(nameof(Modules))]
    public void Activation_modules_pass_the_gradient_check(string name)
    {
        Module<Tensor, Tensor> module = name switch
        {
            "relu" => new ReLU(),
            "leaky_relu" => new LeakyReLU(0.2f),
            "tanh" => new Nn.Tanh(),
            "sigmoid" => new Nn.Sigmoid(),
            "softmax" => new Nn.Softmax(),
            "log_softmax" => new Nn.LogSoftmax(),
            _ => new Nn.Clamp(-0.5f, 0.5f),
        };
        // 67 elements (vector blocks and a tail); away from relu's kink and clamp's bounds.
        var x = name == "clamp"
            ? T.Leaf(T.AwayFromZero(620, 0.05f, 1f, 67).Data.Select((v, i) => v + (i % 2 == 0 ? -0.5f : 0.5f)).ToArray(), 67)
            : T.AwayFromZero(620, 0.05f, 2f, 67);
        GradCheck.Assert(t => module.Forward(t[0]), x);
        Assert.Empty(module.NamedParameters());
    }
}
