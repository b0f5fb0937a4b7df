namespace Doppel.Media.Video;

/// <summary>
/// What ffprobe says about a video (or a still image, which is a one-frame video to ffmpeg).
/// Width and height are the decoded frames' size, after the rotation phones record in metadata
/// (ffmpeg applies it when decoding).
/// </summary>
public sealed record VideoInfo
{
    public required string Path { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required Rational FrameRate { get; init; }
    public double FramesPerSecond => FrameRate.Value;

    /// <summary>Number of video frames: from the container when it records it, else counted by ffprobe.</summary>
    public required long FrameCount { get; init; }

    /// <summary>True when <see cref="FrameCount"/> came from counting packets rather than the container header.</summary>
    public required bool FrameCountWasCounted { get; init; }

    public required TimeSpan Duration { get; init; }
    public required string VideoCodec { get; init; }
    public required bool HasAudio { get; init; }
    public string? AudioCodec { get; init; }

    /// <summary>Display rotation in degrees from the file's metadata (0 when none).</summary>
    public int Rotation { get; init; }

    public string ContainerFormat { get; init; } = "";
}
