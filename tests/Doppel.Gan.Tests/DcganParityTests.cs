using Doppel.Gan.Models;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;
using Doppel.Tensors.IO;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Tests;

/// <summary>
/// Doppel's DCGAN G and D against PyTorch 1.13's examples/dcgan networks on the same weights
/// (tests/data/parity/gan.safetensors, written by bench/torch_parity_gan.py): G's images in
/// training mode (and eval mode at 32 px), D's logits on them.
/// </summary>
public sealed class DcganParityTests
{
    private static Dictionary<string, Tensor> Fixture() =>
        SafeTensors.Load(Path.Combine(AppContext.BaseDirectory, "data", "parity", "gan.safetensors")).Item1;

    private static void Load(Module module, Dictionary<string, Tensor> fixture, string prefix) =>
        module.LoadStateDict(fixture.Where(f => f.Key.StartsWith(prefix + ".", StringComparison.Ordinal))
            .ToDictionary(f => "net." + f.Key[(prefix.Length + 1)..], f => f.Value));

    private static void Near(string what, ReadOnlySpan<float> actual, Tensor expected, float tolerance)
    {
        Assert.Equal(expected.Size, actual.Length);
        float scale = expected.ToArray().Max(v => Math.Abs(v)), worst = 0;
        for (int i = 0; i < actual.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected.Span[i]));
        Assert.True(worst <= tolerance * Math.Max(scale, 1e-6f), $"{what}: worst |difference| {worst} against scale {scale}");
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public void GeneratorAndDiscriminatorMatchPyTorch(int size)
    {
        var fixture = Fixture();
        var g = new DcganGenerator(16, 4, size, 3, new Rng(1));
        var d = new DcganDiscriminator(4, size, 3, new Rng(2));
        Load(g, fixture, $"g{size}");
        Load(d, fixture, $"d{size}");
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.Off();
        var images = g.Forward(fixture[$"z{size}"]);                         // (3, S, S, 3), batch statistics
        Near("G(z), training mode", images.Span, fixture[$"images{size}"], 1e-4f);
        Near("D(G(z)), training mode", d.Forward(fixture[$"images{size}"]).Span, fixture[$"logits{size}"], 1e-4f);
        if (size == 32)
        {
            g.Eval();
            Near("G(z), eval mode", g.Forward(fixture["z32"]).Span, fixture["eval_images32"], 1e-4f);
        }
        foreach (var t in fixture.Values) t.Dispose();
    }
}
