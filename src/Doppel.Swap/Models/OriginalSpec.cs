namespace Doppel.Swap.Models;

/// <summary>
/// The sizes of an Original-family autoencoder. <see cref="Original"/> is exactly the classic
/// 64 px model (82.06 M parameters); smaller specs of the same shape serve tests and weak machines.
/// </summary>
public sealed record OriginalSpec(int InputSize, int[] EncoderChannels, int DenseWidth, int EncoderOutputChannels, int[] DecoderChannels, float Slope = 0.1f)
{
    public static OriginalSpec Original { get; } = new(64, [128, 256, 512, 1024], 1024, 512, [256, 128, 64]);

    /// <summary>The same architecture at a quarter of the widths (about 1/12 of the compute): trains visibly in minutes on 2 cores.</summary>
    public static OriginalSpec Lite { get; } = new(64, [64, 128, 256, 512], 256, 256, [128, 64, 32]);
}
