using Doppel.Core;
using Doppel.Swap.Models;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Tests;

public class ModelRegistryTests
{
    [Fact]
    public void TheShippedModelsResolveByName()
    {
        Assert.Same(OriginalSpec.Original, ModelRegistry.Default.Resolve("original"));
        Assert.Same(OriginalSpec.Lite, ModelRegistry.Default.Resolve("lite"));
        Assert.Equal(128, ModelRegistry.Default.Resolve("h128").InputSize);
        var e = Assert.Throws<DoppelException>(() => ModelRegistry.Default.Resolve("h256"));
        Assert.Contains("original, lite, h128", e.Hint);
    }

    [Fact]
    public void TheOriginalKeepsItsBottleneckShape()
    {
        // The parity tests pin every Original tensor; this pins the new LatentChannels default.
        Assert.Equal(1024, OriginalSpec.Original.LatentChannels);
        Assert.Equal(512, OriginalSpec.H128.LatentChannels);
        Assert.Equal(OriginalSpec.Original, OriginalSpec.Original with { EncoderChannels = [128, 256, 512, 1024] });
    }

    [Fact]
    public void AnH128ShapedModelMaps128PxTo128Px()
    {
        // The H128 layout (four stride-2 convs to 8x8, a narrower bottleneck, three decoder blocks) at tiny widths.
        var spec = OriginalSpec.H128 with { EncoderChannels = [4, 4, 4, 8], DenseWidth = 8, EncoderOutputChannels = 8, DecoderChannels = [8, 4, 4], BottleneckChannels = 4 };
        var model = new OriginalModel(spec, new Rng(1));
        using var noGrad = GradMode.Off();
        using var scope = TensorScope.Begin();
        var y = model.Forward(Tensor.Zeros(1, 128, 128, 3), Side.B);
        Assert.Equal(new[] { 1, 128, 128, 3 }, y.Shape);
        var dense2 = model.NamedParameters().First(p => p.Name == "encoder.dense2.weight").Tensor;
        Assert.Contains(8 * 8 * 4, dense2.Shape);
    }
}
