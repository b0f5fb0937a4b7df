using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Models;

/// <summary>
/// One person's decoder of the Original model: three upscale blocks (8 -> 64 px) and a 5x5
/// convolution to RGB with a sigmoid, so outputs are in [0, 1] like the inputs. With
/// <see cref="OriginalSpec.ResidualDecoder"/> each upscale is followed by a <see cref="ResidualBlock"/>. With the
/// optional mask branch a second 5x5 convolution from the same last features gives one channel of
/// mask logits beside the face; it is a separate module added after <c>to_rgb</c>, so a decoder
/// without it has exactly the Original's parameters and names.
/// </summary>
public sealed class OriginalDecoder : Module
{
    private readonly UpscaleBlock[] _blocks;
    private readonly ResidualBlock?[] _refine;
    private readonly Conv2d _toRgb;
    private readonly int _lastChannels;
    private Conv2d? _toMask;

    public OriginalDecoder(OriginalSpec spec, Rng rng)
    {
        int channels = spec.EncoderOutputChannels;
        _blocks = new UpscaleBlock[spec.DecoderChannels.Length];
        _refine = new ResidualBlock?[spec.DecoderChannels.Length];
        for (int i = 0; i < _blocks.Length; i++)
        {
            _blocks[i] = AddModule($"upscale{i + 1}", new UpscaleBlock(channels, spec.DecoderChannels[i], rng, spec.Slope));
            channels = spec.DecoderChannels[i];
            // Registered right after their upscale; absent (the Original) they draw no random numbers and add no names.
            if (spec.ResidualDecoder) _refine[i] = AddModule($"residual{i + 1}", new ResidualBlock(channels, rng, spec.Slope));
        }
        _toRgb = AddModule("to_rgb", new Conv2d(channels, 3, 5, 1, 2, rng));
        _lastChannels = channels;
    }

    /// <summary>
    /// Adds the mask branch. The model calls it after building both decoders, with its own Rng,
    /// so that every Original layer draws exactly the random numbers it draws without the branch:
    /// for the same seed, a model with the mask starts from the same face weights as one without.
    /// </summary>
    internal void AddMaskBranch(Rng rng)
    {
        if (_toMask is not null) throw new InvalidOperationException("the decoder already has a mask branch");
        _toMask = AddModule("to_mask", new Conv2d(_lastChannels, 1, 5, 1, 2, rng));
    }

    public bool LearnsMask => _toMask is not null;

    public Tensor Forward(Tensor latent) => Decode(latent).Face; // (N, 8, 8, 512) -> (N, 64, 64, 3)

    /// <summary>
    /// The face (N, S, S, 3) in [0, 1] and, when the decoder has the branch, the mask as logits
    /// (N, S, S, 1): training takes BCE on logits (stable where the sigmoid saturates); callers
    /// that want the mask itself apply the sigmoid.
    /// </summary>
    public (Tensor Face, Tensor? MaskLogits) Decode(Tensor latent)
    {
        var x = latent;
        for (int i = 0; i < _blocks.Length; i++)
        {
            x = _blocks[i].Forward(x);                       // (N, 16, 16, 256) ... (N, 64, 64, 64)
            if (_refine[i] is { } refine) x = refine.Forward(x);
        }
        var face = Ops.Sigmoid(_toRgb.Forward(x));           // (N, 64, 64, 3)
        return (face, _toMask?.Forward(x));                  // (N, 64, 64, 1)?
    }
}
