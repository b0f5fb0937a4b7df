using Doppel.Media.Imaging;

namespace Doppel.Media.Video;

/// <summary>One decoded frame: its number in the source (0-based) and its presentation time at the nominal rate.</summary>
public sealed record VideoFrame(long Index, TimeSpan Time, RgbImage Image);
