using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Models;

/// <summary>The range of the generator's pixels: sigmoid's [0, 1] (the paper's MNIST net) or tanh's [-1, 1] (DCGAN).</summary>
public enum PixelRange
{
    Unit,
    Symmetric,
}

/// <summary>
/// A generator and its discriminator, built together by a <see cref="IGanArchitecture"/>.
/// G maps noise (N, ZDim) to images (N, H, W, C) in <see cref="Range"/>; D maps such images to
/// one logit each, (N, 1), trained with binary cross-entropy on logits.
/// </summary>
public sealed record GanNetworks(
    Module<Tensor, Tensor> Generator,
    Module<Tensor, Tensor> Discriminator,
    int ZDim,
    int Height,
    int Width,
    int Channels,
    PixelRange Range)
{
    public int PixelsPerImage => Height * Width * Channels;

    /// <summary>A [0, 1] value as the networks see it.</summary>
    public float FromUnit(float v) => Range == PixelRange.Unit ? v : 2f * v - 1f;

    /// <summary>A generator pixel as a [0, 1] value.</summary>
    public float ToUnit(float v) => Range == PixelRange.Unit ? v : 0.5f * (v + 1f);
}

/// <summary>
/// One family of GAN networks (a registry entry): builds G and D for the run's settings. A new
/// architecture is one class implementing this plus one line in <see cref="GanArchitectures"/>.
/// </summary>
public interface IGanArchitecture
{
    string Name { get; }

    /// <summary>Builds both networks, drawing initial weights from <paramref name="init"/> (G first) and dropout masks from <paramref name="dropout"/>.</summary>
    GanNetworks Build(GanShape shape, Rng init, Rng dropout);

    /// <summary>The image size this architecture makes for a requested size (MNIST's 28 for mlp), or an error naming what it supports.</summary>
    int CheckSize(int size);
}

/// <summary>What decides the networks' sizes: the image side, the noise size and the width factor.</summary>
public sealed record GanShape(int Size, int ZDim, int Features, int Channels);
