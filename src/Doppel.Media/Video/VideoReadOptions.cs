namespace Doppel.Media.Video;

/// <summary>Which frames a <see cref="VideoReader"/> delivers: from <see cref="StartFrame"/>, every
/// <see cref="EveryNth"/> frame, at most <see cref="MaxFrames"/> of them. Frame numbers count decoded
/// frames from 0, exactly; selection happens inside ffmpeg so skipped frames never cross the pipe.</summary>
public sealed record VideoReadOptions
{
    public static readonly VideoReadOptions All = new();

    public long StartFrame { get; init; }
    public int EveryNth { get; init; } = 1;

    /// <summary>Null for no limit.</summary>
    public long? MaxFrames { get; init; }
}
