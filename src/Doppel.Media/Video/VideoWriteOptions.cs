namespace Doppel.Media.Video;

/// <summary>Encoding settings for <see cref="VideoWriter"/> (H.264 in MP4, yuv420p for players everywhere).</summary>
public sealed record VideoWriteOptions
{
    public static readonly VideoWriteOptions Default = new();

    /// <summary>x264 constant rate factor: 0 lossless, 18 visually lossless, 23 x264's default, 51 worst.</summary>
    public int Crf { get; init; } = 18;

    /// <summary>x264 speed preset; "veryfast" keeps encoding well ahead of conversion on two cores.</summary>
    public string Preset { get; init; } = "veryfast";

    /// <summary>Frames between keyframes (x264's -g); null for x264's default. 1 codes every frame
    /// on its own (intra only), which unrelated images in one stream need.</summary>
    public int? KeyframeInterval { get; init; }

    /// <summary>A file whose first audio stream is copied into the output (typically the video being converted); null for silence.</summary>
    public string? AudioSource { get; init; }
}
