using Doppel.Media.Video;

namespace Doppel.Forensics.Detection;

/// <summary>
/// Which frames of a video detect reads: <c>--frames N</c> spreads N evenly (every
/// ceil(count / N)-th frame, at most N), <c>--fps R</c> reads R per second of video, and
/// <c>--frames 0</c> reads them all. The default, 48 spread over the clip, gives every track
/// enough frames for a mean score that one odd frame cannot swing, at a cost of a second or two.
/// </summary>
public static class FrameSampling
{
    public static VideoReadOptions For(VideoInfo info, DetectOptions options)
    {
        if (options.FirstFrames is { } first) return new VideoReadOptions { MaxFrames = first };
        if (options.Fps is { } fps)
            return new VideoReadOptions { EveryNth = Math.Max(1, (int)Math.Round(info.FramesPerSecond / fps)) };
        if (options.Frames == 0 || info.FrameCount <= options.Frames) return VideoReadOptions.All;
        int every = (int)Math.Ceiling((double)info.FrameCount / options.Frames);
        return new VideoReadOptions { EveryNth = every, MaxFrames = options.Frames };
    }
}
