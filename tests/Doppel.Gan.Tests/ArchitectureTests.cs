using Doppel.Gan.Models;
using Doppel.Gan.Training;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Tests;

/// <summary>The published networks' sizes, shapes and output ranges.</summary>
public sealed class ArchitectureTests
{
    private static GanNetworks Build(GanSettings s, int channels) => GanTask.BuildNetworks(s.Validated(), channels);

    [Fact]
    public void TheMlpPairHasThePapersLayerSizes()
    {
        var nets = Build(GanSettings.For("mlp"), 1);
        // G: 100*1200+1200 + 1200*1200+1200 + 1200*784+784; D: 784*1200+1200 + 240*1200+1200 + 240+1.
        Assert.Equal(2_503_984, nets.Generator.ParameterCount);
        Assert.Equal(1_231_441, nets.Discriminator.ParameterCount);
        Assert.Equal(["net.1", "net.3", "net.5"], nets.Discriminator.NamedModules().Where(m => m.Module is Dropout).Select(m => m.Name));
        Assert.Equal([0.2f, 0.5f, 0.5f], nets.Discriminator.NamedModules().Select(m => m.Module).OfType<Dropout>().Select(d => d.P));
        Assert.All(nets.Discriminator.NamedModules().Select(m => m.Module).OfType<Maxout>(), m => Assert.Equal((240, 5), (m.Units, m.Pieces)));
        // pylearn2's irange: G's weights within 0.05, D's within 0.005.
        Assert.All(nets.Generator.NamedParameters().Where(p => p.Name.EndsWith("weight")), p => Assert.True(p.Tensor.Span.ToArray().Max(v => Math.Abs(v)) <= 0.05f));
        Assert.All(nets.Discriminator.NamedParameters().Where(p => p.Name.EndsWith("weight")), p => Assert.True(p.Tensor.Span.ToArray().Max(v => Math.Abs(v)) <= 0.005f));
    }

    [Fact]
    public void TheDcganPairHasPyTorchsExampleSizes()
    {
        var nets = Build(GanSettings.For("dcgan"), 3);
        // The same counts as PyTorch's examples/dcgan netG and netD at nz 100, ngf = ndf = 64.
        Assert.Equal(3_576_704, nets.Generator.ParameterCount);
        Assert.Equal(2_765_568, nets.Discriminator.ParameterCount);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.Off();
        foreach (int size in new[] { 32, 64 })
        {
            var small = Build(GanSettings.For("dcgan") with { Size = size, Features = 4 }, 3);
            var z = Tensor.FromArray(Sampling.GanSampler.Noise(3, 100, new Rng(1)), 3, 100);
            var images = small.Generator.Forward(z);
            Assert.Equal([3, size, size, 3], images.Shape);
            Assert.All(images.ToArray(), v => Assert.InRange(v, -1f, 1f));
            Assert.Equal([3, 1], small.Discriminator.Forward(images).Shape);
            // The first D layer has no batch norm; every other hidden layer has one.
            var layers = small.Discriminator.NamedModules().Select(m => m.Module).ToList();
            Assert.IsType<LeakyReLU>(layers[layers.FindIndex(m => m is Conv2d) + 1]);
        }
    }

    [Theory]
    [InlineData("mlp", 32, "makes 28x28")]
    [InlineData("dcgan", 48, "32 or 64 px")]
    public void AnUnsupportedSizeIsRefused(string arch, int size, string expected)
    {
        var e = Assert.Throws<Doppel.Core.DoppelException>(() => (GanSettings.For(arch) with { Size = size }).Validated());
        Assert.Contains(expected, e.Message);
    }
}
