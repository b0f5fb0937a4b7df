namespace Doppel.Media.Ffmpeg;

/// <summary>
/// One of ffmpeg's executables. Found on PATH by name unless <c>DOPPEL_FFMPEG</c> /
/// <c>DOPPEL_FFPROBE</c> name a specific binary (useful to test a newer build side by side).
/// </summary>
internal sealed record FfmpegTool(string Name, string Executable)
{
    public static FfmpegTool Ffmpeg => new("ffmpeg", Environment.GetEnvironmentVariable("DOPPEL_FFMPEG") is { Length: > 0 } p ? p : "ffmpeg");

    public static FfmpegTool Ffprobe => new("ffprobe", Environment.GetEnvironmentVariable("DOPPEL_FFPROBE") is { Length: > 0 } p ? p : "ffprobe");
}
