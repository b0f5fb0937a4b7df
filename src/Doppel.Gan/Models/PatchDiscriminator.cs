using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Models;

/// <summary>
/// A PatchGAN discriminator (Isola et al. 2017, pix2pix): fully convolutional, so it gives one
/// real/fake logit per patch of the image instead of one per image, (N, S, S, C) -> (N, S/2^n,
/// S/2^n, 1). n 4x4 stride-2 convolutions (widths f, 2f, ..., at most 256), a 3x3 convolution
/// and a 1x1 convolution to the logit, LeakyReLU 0.2 between, He-uniform weights, no
/// normalisation (the swap trainer's batches are 8 faces: batch statistics of so few, half of
/// them real, would leak the label). Not DCGAN's N(0, 0.02): without batch norm to rescale,
/// three layers of it shrink the signal about 200-fold, every patch's logit is its bias, and
/// in 300 steps on real faces D stayed at chance (d_real = d_fake = 0.500). n is the smallest with a receptive field of at least S/8
/// (5 x 2^n - 2 px: 8 px at 64, 18 px at 128, 38 px at 256): patches the size of an eye corner
/// or a lip edge, where a reconstruction loss forgives blur and the discriminator does not.
/// </summary>
public sealed class PatchDiscriminator : Module<Tensor, Tensor>
{
    private readonly Sequential _net;

    public PatchDiscriminator(int size, int channels, Rng rng, int features = 64)
    {
        if (size < 8) throw new ArgumentException($"a patch discriminator needs images of at least 8 px, not {size}");
        Downsamplings = DownsamplingsFor(size);
        _net = AddModule("net", new Sequential());
        int c = channels, f = features;
        for (int i = 0; i < Downsamplings; i++)
        {
            _net.Append(new Conv2d(c, f, 4, 2, 1, rng));  // halves H and W
            _net.Append(new LeakyReLU(0.2f));
            (c, f) = (f, Math.Min(2 * f, 256));
        }
        _net.Append(new Conv2d(c, f, 3, 1, 1, rng));
        _net.Append(new LeakyReLU(0.2f));
        _net.Append(new Conv2d(f, 1, 1, 1, 0, rng));     // (N, S/2^n, S/2^n, 1) logits
    }

    /// <summary>Stride-2 convolutions: each output logit covers a 2^n x 2^n cell of the input (and sees a wider patch).</summary>
    public int Downsamplings { get; }

    /// <summary>The side of the input each patch logit stands for (2^n).</summary>
    public int CellSize => 1 << Downsamplings;

    /// <summary>The receptive field of one logit, in input pixels.</summary>
    public int ReceptiveField => 5 * CellSize - 2;

    public static int DownsamplingsFor(int size)
    {
        int n = 1;
        while (5 * (1 << n) - 2 < size / 8 && (size >> (n + 1)) >= 4) n++;
        return n;
    }

    public override Tensor Forward(Tensor images) => _net.Forward(images);
}
