using Doppel.Swap.Models;
using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Tests.Support;

/// <summary>
/// A second swap-model family that exists only in tests, written the way a new model is meant to
/// be added (a class, its spec, one registry line): a strided convolution as the encoder, an
/// upscale block and a convolution to RGB as each decoder. It proves the trainer, checkpoints,
/// previews and convert take any <see cref="ISwapModel"/>, not only the Original.
/// </summary>
public sealed record ConvPairSpec(int InputSize, int Channels) : ISwapModelSpec
{
    public string Family => "test-conv-pair";

    public ISwapModel Create(Rng rng, bool learnMask = false) => new ConvPairModel(this, rng, learnMask);
}

public sealed class ConvPairModel : Module, ISwapModel
{
    private readonly Conv2d _encoder;
    private readonly (UpscaleBlock Up, Conv2d ToRgb, Conv2d? ToMask)[] _decoders;

    public ConvPairModel(ConvPairSpec spec, Rng rng, bool learnMask)
    {
        Spec = spec;
        _encoder = AddModule("encoder", new Conv2d(3, spec.Channels, 3, 2, 1, rng));
        _decoders = new (UpscaleBlock, Conv2d, Conv2d?)[2];
        foreach (var side in new[] { Side.A, Side.B })
        {
            string name = side == Side.A ? "decoder_a" : "decoder_b";
            _decoders[(int)side] = (AddModule(name + "_up", new UpscaleBlock(spec.Channels, spec.Channels, rng)),
                AddModule(name + "_rgb", new Conv2d(spec.Channels, 3, 3, 1, 1, rng)),
                learnMask ? AddModule(name + "_mask", new Conv2d(spec.Channels, 1, 3, 1, 1, rng)) : null);
        }
    }

    public ISwapModelSpec Spec { get; }
    public int InputSize => Spec.InputSize;
    public bool LearnsMask => _decoders[0].ToMask is not null;
    Module ISwapModel.Module => this;

    public Tensor Encode(Tensor faces) => Ops.LeakyRelu(_encoder.Forward(faces), 0.1f); // (N, S, S, 3) -> (N, S/2, S/2, C)

    public (Tensor Face, Tensor? MaskLogits) Decode(Tensor latent, Side side)
    {
        var (up, toRgb, toMask) = _decoders[(int)side];
        var x = up.Forward(latent);                           // (N, S, S, C)
        return (Ops.Sigmoid(toRgb.Forward(x)), toMask?.Forward(x)); // (N, S, S, 3), (N, S, S, 1)?
    }
}
