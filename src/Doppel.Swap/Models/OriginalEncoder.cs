using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Models;

/// <summary>
/// The shared encoder of the Original model (docs: ../shared/docs/models.md): four 5x5
/// stride-2 convolutions, a dense bottleneck, and one upscale block. 64x64x3 in, 8x8x512 out.
/// The bottleneck is what forces both people into one latent space of pose, expression and light.
/// </summary>
public sealed class OriginalEncoder : Module
{
    private readonly Conv2d[] _convs;
    private readonly Linear _bottleneck, _expand;
    private readonly UpscaleBlock _upscale;
    private readonly int _latentSide, _latentChannels;

    public OriginalEncoder(OriginalSpec spec, Rng rng)
    {
        int channels = 3;
        _convs = new Conv2d[spec.EncoderChannels.Length];
        for (int i = 0; i < _convs.Length; i++)
        {
            _convs[i] = AddModule($"conv{i + 1}", new Conv2d(channels, spec.EncoderChannels[i], 5, 2, 2, rng));
            channels = spec.EncoderChannels[i];
        }
        _latentSide = spec.InputSize >> _convs.Length;                  // 64 / 16 = 4
        _latentChannels = spec.LatentChannels;                         // 1024 (Original), 512 (H128)
        int flat = _latentSide * _latentSide * channels;               // 16384
        int expanded = _latentSide * _latentSide * _latentChannels;    // 16384 (Original)
        _bottleneck = AddModule("dense1", new Linear(flat, spec.DenseWidth, rng));
        _expand = AddModule("dense2", new Linear(spec.DenseWidth, expanded, rng));
        _upscale = AddModule("upscale", new UpscaleBlock(_latentChannels, spec.EncoderOutputChannels, rng, spec.Slope));
        Slope = spec.Slope;
    }

    public float Slope { get; }

    public Tensor Forward(Tensor x) // (N, 64, 64, 3)
    {
        foreach (var conv in _convs) x = Ops.LeakyRelu(conv.Forward(x), Slope); // ... (N, 4, 4, 1024)
        int n = x.Dim(0);
        x = _expand.Forward(_bottleneck.Forward(Ops.Flatten(x)));            // (N, 16384)
        x = Ops.Reshape(x, n, _latentSide, _latentSide, _latentChannels);    // (N, 4, 4, 1024)
        return _upscale.Forward(x);                                          // (N, 8, 8, 512)
    }
}
