using Doppel.Media.Imaging;

namespace Doppel.Media.Geometry;

/// <summary>
/// The channel count as a type, so the JIT compiles one warp loop per layout with the count
/// folded to a constant (its per-channel loop unrolls) instead of one loop that branches.
/// </summary>
internal interface IChannelCount
{
    static abstract int Count { get; }
}

internal readonly struct OneChannel : IChannelCount
{
    public static int Count => 1;
}

internal readonly struct ThreeChannels : IChannelCount
{
    public static int Count => RgbImage.Channels;
}

/// <summary>A borrowed view of interleaved 8-bit pixels: what the warp kernels work on.</summary>
internal readonly record struct PixelBuffer(byte[] Data, int Width, int Height, int Channels)
{
    public static PixelBuffer Of(RgbImage image) => new(image.Data, image.Width, image.Height, RgbImage.Channels);

    public static PixelBuffer Of(GrayImage image) => new(image.Data, image.Width, image.Height, 1);
}
