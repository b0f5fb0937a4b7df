using System.Globalization;
using Doppel.Core;
using Doppel.Media.Ffmpeg;
using Doppel.Media.Imaging;

namespace Doppel.Media.Video;

/// <summary>
/// Encodes RGB frames to an H.264 MP4 through one ffmpeg process reading rgb24 on stdin. The
/// file is written under a temporary name beside the target and renamed by <see cref="Complete"/>;
/// disposing without completing (an exception, Ctrl-C) kills ffmpeg and deletes the temporary
/// file, so a half-encoded video never appears under the real name.
/// Audio from <see cref="VideoWriteOptions.AudioSource"/> is stream-copied when MP4 can hold
/// its codec, re-encoded to AAC otherwise, and cut to the video's length. yuv420p needs even
/// dimensions, so an odd width or height gains one black column or row.
/// </summary>
public sealed class VideoWriter : IDisposable
{
    // Audio codecs the MP4 muxer accepts as they are; anything else is re-encoded.
    private static readonly HashSet<string> Mp4AudioCodecs = ["aac", "mp3", "alac", "ac3", "eac3", "opus", "flac"];

    private readonly FfmpegProcess _process;
    private readonly string _temporaryPath;
    private bool _completed;

    public VideoWriter(string path, int width, int height, Rational frameRate, VideoWriteOptions? options = null)
    {
        options ??= VideoWriteOptions.Default;
        if (width <= 0 || height <= 0) throw new DoppelException($"invalid video size {width}x{height}");
        if (!frameRate.IsValid) throw new DoppelException($"invalid frame rate {frameRate}");
        if (options.Crf is < 0 or > 51) throw new DoppelException($"crf must be 0..51, got {options.Crf}");
        if (options.KeyframeInterval is < 1) throw new DoppelException($"keyframe interval must be at least 1, got {options.KeyframeInterval}");
        Path = System.IO.Path.GetFullPath(path);
        Width = width;
        Height = height;
        VideoInfo? audio = options.AudioSource is { } source ? VideoProbe.Probe(source) : null;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _temporaryPath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!,
            $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        _process = FfmpegProcess.Start(FfmpegTool.Ffmpeg, Arguments(frameRate, options, audio is { HasAudio: true } ? audio : null), keepStdinOpen: true);
    }

    /// <summary>Same size and rate as <paramref name="source"/>, with its audio when it has some and
    /// <paramref name="copyAudio"/> is set.</summary>
    public static VideoWriter ForSource(string path, VideoInfo source, VideoWriteOptions? options = null, bool copyAudio = true)
    {
        options ??= VideoWriteOptions.Default;
        if (copyAudio && source.HasAudio && options.AudioSource is null) options = options with { AudioSource = source.Path };
        return new VideoWriter(path, source.Width, source.Height, source.FrameRate, options);
    }

    public string Path { get; }
    public int Width { get; }
    public int Height { get; }
    public long FramesWritten { get; private set; }

    public void Write(RgbImage frame)
    {
        if (_completed) throw new InvalidOperationException("the video is already complete");
        if (frame.Width != Width || frame.Height != Height)
            throw new ArgumentException($"frame is {frame.Width}x{frame.Height}, video is {Width}x{Height}", nameof(frame));
        try
        {
            _process.Input.Write(frame.Data);
        }
        catch (IOException e)
        {
            // ffmpeg closed its end: it has failed, and its stderr says why.
            int exit = _process.WaitForExit();
            throw new DoppelException(FfmpegErrors.Failed($"encoding {Path}", exit, _process.LastErrorLine).Message,
                "check free disk space and the output path", e);
        }
        FramesWritten++;
    }

    /// <summary>Finishes encoding and moves the file into place. Until this returns, the target is untouched.</summary>
    /// <param name="beforeRename">Runs on the finished temporary file before it takes the real
    /// name (labelling it, say), so the output never appears without it; a failure there leaves no output.</param>
    public void Complete(Action<string>? beforeRename = null)
    {
        if (_completed) return;
        if (FramesWritten == 0) throw new DoppelException($"no frames were written to {Path}", "a video needs at least one frame");
        _process.CloseInput();
        int exit = _process.WaitForExit();
        if (exit != 0)
        {
            TryDelete(_temporaryPath);
            throw FfmpegErrors.Failed($"encoding {Path}", exit, _process.LastErrorLine);
        }
        try
        {
            beforeRename?.Invoke(_temporaryPath);
        }
        catch
        {
            TryDelete(_temporaryPath);
            throw;
        }
        File.Move(_temporaryPath, Path, overwrite: true);
        _completed = true;
    }

    public void Dispose()
    {
        _process.Dispose(); // kills ffmpeg if Complete was never reached
        if (!_completed) TryDelete(_temporaryPath);
    }

    private List<string> Arguments(Rational rate, VideoWriteOptions options, VideoInfo? audio)
    {
        var args = new List<string>
        {
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{Width}x{Height}", "-framerate", rate.ToString(), "-i", "pipe:0",
        };
        if (audio is not null) args.AddRange(["-i", FfmpegPath.Of(audio.Path)]);
        args.AddRange(["-map", "0:v:0"]);
        // yuv420p halves chroma resolution, so odd sizes get one padding column/row.
        if (Width % 2 != 0 || Height % 2 != 0) args.AddRange(["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2"]);
        args.AddRange(["-c:v", "libx264", "-preset", options.Preset, "-crf", options.Crf.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p"]);
        if (options.KeyframeInterval is { } gop) args.AddRange(["-g", gop.ToString(CultureInfo.InvariantCulture)]);
        if (audio is not null)
        {
            args.AddRange(["-map", "1:a:0"]);
            args.AddRange(Mp4AudioCodecs.Contains(audio.AudioCodec ?? "") ? ["-c:a", "copy"] : ["-c:a", "aac", "-b:a", "192k"]);
            args.Add("-shortest");
        }
        args.AddRange(["-movflags", "+faststart", "-f", "mp4", FfmpegPath.Of(_temporaryPath)]);
        return args;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
