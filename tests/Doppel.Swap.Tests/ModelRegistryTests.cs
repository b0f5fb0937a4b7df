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

    [Fact]
    public void LiteResidualIsLiteWithARefinementAfterEachDecoderUpscale()
    {
        var spec = Assert.IsType<OriginalSpec>(ModelRegistry.Default.Resolve("lite-res"));
        Assert.True(spec.ResidualDecoder);
        Assert.NotEqual(OriginalSpec.Lite, spec);
        Assert.Equal(OriginalSpec.Lite, spec with { ResidualDecoder = false });

        // At tiny widths: same input and output, three residual blocks per decoder, and every
        // parameter the plain model has keeps its name and shape.
        var tiny = OriginalSpec.Lite with { EncoderChannels = [4, 4, 4, 8], DenseWidth = 8, EncoderOutputChannels = 8, DecoderChannels = [8, 4, 4] };
        var plain = new OriginalModel(tiny, new Rng(1));
        var residual = new OriginalModel(tiny with { ResidualDecoder = true }, new Rng(1));
        var names = residual.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.Shape);
        foreach (var (name, tensor) in plain.NamedParameters()) Assert.Equal(tensor.Shape, names[name]);
        Assert.Equal([4, 3, 3, 4], names["decoder_b.residual3.conv2.weight"]);
        Assert.Equal(2 * 3 * 2 * 2, names.Count - plain.NamedParameters().Count()); // 2 decoders x 3 blocks x 2 convs x (weight, bias)
        using var noGrad = GradMode.Off();
        using var scope = TensorScope.Begin();
        var y = residual.Forward(Tensor.Zeros(2, 64, 64, 3), Side.A);
        Assert.Equal(new[] { 2, 64, 64, 3 }, y.Shape);
    }

    [Fact]
    public void AStateFileWithoutResidualDecoderReadsAsThePlainModel()
    {
        var options = new System.Text.Json.JsonSerializerOptions { Converters = { new SwapModelSpecJson() } };
        var json = System.Text.Json.JsonSerializer.Serialize<ISwapModelSpec>(OriginalSpec.Lite, options).Replace(",\"ResidualDecoder\":false", "");
        Assert.DoesNotContain("ResidualDecoder", json);
        Assert.Equal(OriginalSpec.Lite, System.Text.Json.JsonSerializer.Deserialize<ISwapModelSpec>(json, options));
    }
}
