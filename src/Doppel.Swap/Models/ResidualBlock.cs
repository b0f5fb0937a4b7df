using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Models;

/// <summary>
/// A residual refinement at one decoder resolution (as DeepFaceLab's SAEHD decoders have after
/// each upscale): y = lrelu(x + conv3x3(lrelu(conv3x3(x)))), channels and size unchanged. The skip
/// keeps the upscaled features; the two convolutions add detail at that scale, which the plain
/// Original decoder (one convolution per scale, then a pixel shuffle) has little room for.
/// </summary>
public sealed class ResidualBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d _first, _second;
    private readonly float _slope;

    public ResidualBlock(int channels, Rng rng, float slope)
    {
        _first = AddModule("conv1", new Conv2d(channels, channels, 3, 1, 1, rng));
        _second = AddModule("conv2", new Conv2d(channels, channels, 3, 1, 1, rng));
        _slope = slope;
    }

    public override Tensor Forward(Tensor x) // (N, H, W, C) -> (N, H, W, C)
    {
        var refinement = _second.Forward(Ops.LeakyRelu(_first.Forward(x), _slope));
        return Ops.LeakyRelu(Ops.Add(x, refinement), _slope);
    }
}
