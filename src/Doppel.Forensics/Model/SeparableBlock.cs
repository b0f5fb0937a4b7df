using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.Model;

/// <summary>
/// A residual block of two depthwise-separable convolutions (MobileNet's factorisation: a 3x3
/// filter per channel, then a 1x1 mix), each followed by batch norm: x -> dw3x3(stride) BN ReLU
/// pw BN ReLU dw3x3 BN pw BN, plus the shortcut (identity, or a strided 1x1 conv with BN when
/// the shape changes), then ReLU. Cheap enough that a whole detector costs a few million
/// multiply-adds per face.
/// </summary>
public sealed class SeparableBlock : Module<Tensor, Tensor>
{
    private readonly Sequential _main;
    private readonly Sequential? _shortcut;

    public SeparableBlock(int inChannels, int outChannels, int stride, Rng rng)
    {
        _main = AddModule("main", new Sequential(
            new Conv2d(inChannels, inChannels, 3, stride, 1, rng, bias: false, groups: inChannels), new BatchNorm2d(inChannels), new ReLU(),
            new Conv2d(inChannels, outChannels, 1, 1, 0, rng, bias: false), new BatchNorm2d(outChannels), new ReLU(),
            new Conv2d(outChannels, outChannels, 3, 1, 1, rng, bias: false, groups: outChannels), new BatchNorm2d(outChannels),
            new Conv2d(outChannels, outChannels, 1, 1, 0, rng, bias: false), new BatchNorm2d(outChannels)));
        if (stride != 1 || inChannels != outChannels)
            _shortcut = AddModule("shortcut", new Sequential(new Conv2d(inChannels, outChannels, 1, stride, 0, rng, bias: false), new BatchNorm2d(outChannels)));
    }

    public override Tensor Forward(Tensor input) =>
        Ops.Relu(Ops.Add(_main.Forward(input), _shortcut is null ? input : _shortcut.Forward(input)));
}
