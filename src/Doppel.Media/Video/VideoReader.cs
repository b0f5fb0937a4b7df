using System.Globalization;
using Doppel.Core;
using Doppel.Media.Ffmpeg;
using Doppel.Media.Imaging;

namespace Doppel.Media.Video;

/// <summary>
/// Streams a video's frames as 8-bit RGB through one ffmpeg process writing rgb24 to a pipe.
/// Use <see cref="Frames"/> for a fresh image per frame, or <see cref="Read"/> to decode into a
/// buffer you reuse (no allocation per frame). Dispose stops ffmpeg if you stop early.
/// </summary>
public sealed class VideoReader : IDisposable
{
    private readonly FfmpegProcess _process;
    private readonly VideoReadOptions _options;
    private readonly int _frameBytes;
    private long _delivered;
    private bool _finished;

    public VideoReader(string path, VideoReadOptions? options = null)
        : this(VideoProbe.Probe(path), options) { }

    /// <summary>Opens a video already probed (saves one ffprobe run).</summary>
    public VideoReader(VideoInfo info, VideoReadOptions? options = null)
    {
        Info = info;
        _options = options ?? VideoReadOptions.All;
        if (_options.EveryNth < 1) throw new DoppelException($"every-Nth frame must be at least 1, got {_options.EveryNth}");
        if (_options.StartFrame < 0) throw new DoppelException($"start frame must be 0 or more, got {_options.StartFrame}");
        if (_options.MaxFrames is < 0) throw new DoppelException($"max frames must be 0 or more, got {_options.MaxFrames}");
        _frameBytes = checked(info.Width * info.Height * RgbImage.Channels);
        _process = FfmpegProcess.Start(FfmpegTool.Ffmpeg, Arguments(info, _options));
    }

    public VideoInfo Info { get; }

    /// <summary>Frames delivered so far.</summary>
    public long FramesRead => _delivered;

    /// <summary>The source frame number the next <see cref="Read"/> returns.</summary>
    public long NextFrameIndex => _options.StartFrame + _delivered * _options.EveryNth;

    /// <summary>
    /// Decodes the next selected frame into <paramref name="into"/> (which must match the video's
    /// size) and returns its source frame number, or -1 at the end of the video.
    /// </summary>
    public long Read(RgbImage into)
    {
        if (into.Width != Info.Width || into.Height != Info.Height)
            throw new ArgumentException($"buffer is {into.Width}x{into.Height}, video is {Info.Width}x{Info.Height}", nameof(into));
        if (_finished) return -1;
        if (_options.MaxFrames is { } max && _delivered >= max)
        {
            Finish(stoppedEarly: true);
            return -1;
        }
        int got = _process.Output.ReadAtLeast(into.Data, _frameBytes, throwOnEndOfStream: false);
        if (got == 0)
        {
            Finish(stoppedEarly: false);
            return -1;
        }
        if (got < _frameBytes)
        {
            Finish(stoppedEarly: false); // throws if ffmpeg reported an error
            throw new DoppelException($"{Info.Path}: the last frame was cut short ({got} of {_frameBytes} bytes)",
                "the file may be truncated");
        }
        long index = NextFrameIndex;
        _delivered++;
        return index;
    }

    /// <summary>The selected frames in order, each in its own image.</summary>
    public IEnumerable<VideoFrame> Frames()
    {
        while (true)
        {
            var image = new RgbImage(Info.Width, Info.Height);
            long index = Read(image);
            if (index < 0) yield break;
            yield return new VideoFrame(index, TimeSpan.FromSeconds(index / Info.FramesPerSecond), image);
        }
    }

    public void Dispose() => _process.Dispose();

    private void Finish(bool stoppedEarly)
    {
        _finished = true;
        if (stoppedEarly)
        {
            _process.Kill();
            return;
        }
        int exit = _process.WaitForExit();
        if (exit != 0)
            throw FfmpegErrors.Failed($"decoding {Info.Path}", exit, _process.LastErrorLine);
        // ffmpeg decodes what it can of a truncated file and still exits with 0 ("partial file"),
        // so a short count is only trusted when it ran without complaint: container frame counts
        // are sometimes off by a frame or two for files that are perfectly fine.
        long expected = ExpectedFrames();
        if (_process.ErrorLineCount > 0 && _delivered < expected)
            throw new DoppelException(
                $"{Info.Path} ended after {_delivered} of {expected} frames: {_process.LastErrorLine}",
                "the file is truncated or damaged; download or export it again");
    }

    private long ExpectedFrames()
    {
        long available = Math.Max(0, Info.FrameCount - _options.StartFrame);
        long selected = (available + _options.EveryNth - 1) / _options.EveryNth;
        return _options.MaxFrames is { } max ? Math.Min(max, selected) : selected;
    }

    private static List<string> Arguments(VideoInfo info, VideoReadOptions options)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error", "-i", FfmpegPath.Of(info.Path), "-map", "0:v:0", "-an", "-sn", "-dn" };
        // select= picks by decoded frame number n, exactly; passthrough stops ffmpeg from
        // duplicating or dropping frames to keep a constant output rate.
        string? select = (options.StartFrame, options.EveryNth) switch
        {
            (0, 1) => null,
            (0, var n) => $"not(mod(n\\,{n}))",
            (var s, 1) => $"gte(n\\,{s})",
            (var s, var n) => $"gte(n\\,{s})*not(mod(n-{s}\\,{n}))",
        };
        if (select is not null) args.AddRange(["-vf", $"select='{select}'"]);
        args.AddRange(["-fps_mode", "passthrough"]);
        if (options.MaxFrames is { } max) args.AddRange(["-frames:v", max.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(["-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        return args;
    }
}
