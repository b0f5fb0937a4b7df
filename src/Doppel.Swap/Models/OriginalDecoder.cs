using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Models;

/// <summary>
/// One person's decoder of the Original model: three upscale blocks (8 -> 64 px) and a 5x5
/// convolution to RGB with a sigmoid, so outputs are in [0, 1] like the inputs.
/// </summary>
public sealed class OriginalDecoder : Module
{
    private readonly UpscaleBlock[] _blocks;
    private readonly Conv2d _toRgb;

    public OriginalDecoder(OriginalSpec spec, Rng rng)
    {
        int channels = spec.EncoderOutputChannels;
        _blocks = new UpscaleBlock[spec.DecoderChannels.Length];
        for (int i = 0; i < _blocks.Length; i++)
        {
            _blocks[i] = AddModule($"upscale{i + 1}", new UpscaleBlock(channels, spec.DecoderChannels[i], rng, spec.Slope));
            channels = spec.DecoderChannels[i];
        }
        _toRgb = AddModule("to_rgb", new Conv2d(channels, 3, 5, 1, 2, rng));
    }

    public Tensor Forward(Tensor latent) // (N, 8, 8, 512)
    {
        var x = latent;
        foreach (var block in _blocks) x = block.Forward(x); // (N, 16, 16, 256) ... (N, 64, 64, 64)
        return Ops.Sigmoid(_toRgb.Forward(x));               // (N, 64, 64, 3)
    }
}
