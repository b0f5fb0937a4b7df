using Doppel.Tensors.Nn;

namespace Doppel.Swap.Models;

/// <summary>
/// The sizes of an Original-family autoencoder. <see cref="Original"/> is exactly the classic
/// 64 px model (82.06 M parameters); smaller specs of the same shape serve tests and weak machines.
/// <paramref name="BottleneckChannels"/> is the channel count the dense layer expands back to
/// (0: the last encoder width, as in the Original); larger inputs need fewer channels there or
/// the dense layers explode (8x8x1024 x 512 would be 33 M weights on each side of the bottleneck).
/// <paramref name="ResidualDecoder"/> adds a residual block after each decoder upscale (false in
/// the Original; old checkpoints, which lack it, read as false).
/// </summary>
public sealed record OriginalSpec(int InputSize, int[] EncoderChannels, int DenseWidth, int EncoderOutputChannels, int[] DecoderChannels, float Slope = 0.1f, int BottleneckChannels = 0, bool ResidualDecoder = false) : ISwapModelSpec
{
    public static OriginalSpec Original { get; } = new(64, [128, 256, 512, 1024], 1024, 512, [256, 128, 64]);

    /// <summary>The same architecture at a quarter of the widths (about 1/12 of the compute): trains visibly in minutes on 2 cores.</summary>
    public static OriginalSpec Lite { get; } = new(64, [64, 128, 256, 512], 256, 256, [128, 64, 32]);

    /// <summary>
    /// Lite with a residual block after each decoder upscale (DeepFaceLab's decoders have them):
    /// two more 3x3 convolutions at 16, 32 and 64 px in each decoder, about half as much compute
    /// again per face, for detail that each person's own decoder draws (issue 13: identity within
    /// a short run).
    /// </summary>
    public static OriginalSpec LiteResidual { get; } = Lite with { ResidualDecoder = true };

    /// <summary>
    /// The DFL-H128 class: 128 px in and out. Four stride-2 convolutions leave 8x8x1024; the dense
    /// bottleneck is 512 wide and expands to 8x8x512; the encoder's upscale gives 16x16x512 and
    /// the decoder's three upscale blocks (512, 256, 128) reach 128 px.
    /// </summary>
    public static OriginalSpec H128 { get; } = new(128, [128, 256, 512, 1024], 512, 512, [512, 256, 128], BottleneckChannels: 512);

    /// <summary>The family key in state.json; checkpoints written before families existed have none and read as this one.</summary>
    public const string FamilyName = "original";

    public string Family => FamilyName;

    public ISwapModel Create(Rng rng, bool learnMask = false) => new OriginalModel(this, rng, learnMask);

    /// <summary>The channels of the reshaped dense output (the encoder's upscale block input).</summary>
    public int LatentChannels => BottleneckChannels > 0 ? BottleneckChannels : EncoderChannels[^1];

    // Records compare arrays by reference; checkpoints compare specs by value, so do it here.
    public bool Equals(OriginalSpec? other) =>
        other is not null && InputSize == other.InputSize && EncoderChannels.SequenceEqual(other.EncoderChannels)
        && DenseWidth == other.DenseWidth && EncoderOutputChannels == other.EncoderOutputChannels
        && DecoderChannels.SequenceEqual(other.DecoderChannels) && Slope == other.Slope && LatentChannels == other.LatentChannels
        && ResidualDecoder == other.ResidualDecoder;

    public override int GetHashCode() => HashCode.Combine(InputSize, DenseWidth, EncoderOutputChannels, LatentChannels, EncoderChannels.Length, DecoderChannels.Length, ResidualDecoder);
}
