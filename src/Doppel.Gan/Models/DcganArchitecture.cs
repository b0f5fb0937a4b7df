using Doppel.Core;
using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Models;

/// <summary>
/// Radford et al.'s DCGAN (2015), laid out as PyTorch's reference example: G projects z to
/// 4x4x(8f) with a 4x4 transposed convolution, then doubles the size with 4x4 stride-2
/// transposed convolutions (batch norm, ReLU) down to f channels (64 px; 2f at 32 px) and a last
/// one to RGB with tanh; D mirrors it with 4x4 stride-2 convolutions, batch norm on every layer
/// but the first, LeakyReLU 0.2, and a 4x4 valid convolution to one logit. No biases (batch norm
/// cancels them; the example has none on the ends either); every weight from N(0, 0.02).
/// </summary>
public sealed class DcganArchitecture : IGanArchitecture
{
    public string Name => "dcgan";

    public int CheckSize(int size) =>
        size is 32 or 64 ? size : size == 0 ? 64 : throw new DoppelException($"dcgan makes 32 or 64 px images, not {size} px", "use --size 32 or --size 64");

    public GanNetworks Build(GanShape shape, Rng init, Rng dropout)
    {
        var g = new DcganGenerator(shape.ZDim, shape.Features, shape.Size, shape.Channels, init);
        var d = new DcganDiscriminator(shape.Features, shape.Size, shape.Channels, init);
        return new GanNetworks(g, d, shape.ZDim, shape.Size, shape.Size, shape.Channels, PixelRange.Symmetric);
    }

    /// <summary>The channel widths from 4x4 up: 8f, 4f, 2f (and f at 64 px).</summary>
    public static int[] Widths(int features, int size) =>
        size == 64 ? [8 * features, 4 * features, 2 * features, features] : [8 * features, 4 * features, 2 * features];
}

/// <summary>DCGAN generator: (N, z) -> (N, S, S, C) in [-1, 1].</summary>
public sealed class DcganGenerator : Module<Tensor, Tensor>
{
    private readonly Sequential _net;
    private readonly int _zDim;

    public DcganGenerator(int zDim, int features, int size, int channels, Rng rng)
    {
        var init = WeightInit.Normal(0.02f);
        int[] w = DcganArchitecture.Widths(features, size);
        _zDim = zDim;
        _net = AddModule("net", new Sequential(
            new ConvTranspose2d(zDim, w[0], 4, 1, 0, rng, bias: false, init: init), new BatchNorm2d(w[0]), new ReLU()));  // (N, 4, 4, 8f)
        for (int i = 1; i < w.Length; i++)
        {
            _net.Append(new ConvTranspose2d(w[i - 1], w[i], 4, 2, 1, rng, bias: false, init: init));                       // doubles H and W
            _net.Append(new BatchNorm2d(w[i]));
            _net.Append(new ReLU());
        }
        _net.Append(new ConvTranspose2d(w[^1], channels, 4, 2, 1, rng, bias: false, init: init));                          // (N, S, S, C)
        _net.Append(new Tanh());
    }

    public override Tensor Forward(Tensor z) => _net.Forward(Ops.Reshape(z, z.Dim(0), 1, 1, _zDim));  // z as a 1x1 image
}

/// <summary>DCGAN discriminator: (N, S, S, C) -> (N, 1) logits.</summary>
public sealed class DcganDiscriminator : Module<Tensor, Tensor>
{
    private readonly Sequential _net;

    public DcganDiscriminator(int features, int size, int channels, Rng rng)
    {
        var init = WeightInit.Normal(0.02f);
        int[] w = Enumerable.Reverse(DcganArchitecture.Widths(features, size)).ToArray();  // f (or 2f) ... 8f
        _net = AddModule("net", new Sequential(
            new Conv2d(channels, w[0], 4, 2, 1, rng, bias: false, init: init), new LeakyReLU(0.2f)));  // (N, S/2, S/2, w0), no batch norm
        for (int i = 1; i < w.Length; i++)
        {
            _net.Append(new Conv2d(w[i - 1], w[i], 4, 2, 1, rng, bias: false, init: init));            // halves H and W
            _net.Append(new BatchNorm2d(w[i]));
            _net.Append(new LeakyReLU(0.2f));
        }
        _net.Append(new Conv2d(w[^1], 1, 4, 1, 0, rng, bias: false, init: init));                      // (N, 1, 1, 1)
        _net.Append(new Flatten());                                                                     // (N, 1) logits
    }

    public override Tensor Forward(Tensor images) => _net.Forward(images);
}
