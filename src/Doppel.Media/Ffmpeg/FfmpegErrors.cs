using System.ComponentModel;
using Doppel.Core;

namespace Doppel.Media.Ffmpeg;

/// <summary>The DoppelExceptions ffmpeg failures turn into, with ffmpeg's own last words.</summary>
internal static class FfmpegErrors
{
    public const string InstallHint = "install it with: apt-get install ffmpeg (or run ./doppel setup)";

    public static DoppelException NotInstalled(FfmpegTool tool, Win32Exception e) =>
        new($"{tool.Name} is not installed or not on PATH ({tool.Executable}: {e.Message})", InstallHint, e);

    public static DoppelException Unreadable(string path, string kind, string? lastLine) =>
        new($"{path} is not {Article(kind)} {kind} ffmpeg can read: {lastLine ?? "no details"}",
            "check that the file is complete and is a video or image; try playing it with ffplay");

    private static string Article(string noun) => "aeiou".Contains(noun[0]) ? "an" : "a";

    public static DoppelException Failed(string what, int exitCode, string? lastLine) =>
        new($"ffmpeg failed while {what} (exit code {exitCode}): {lastLine ?? "no details"}",
            "run the same file through ffmpeg by hand to see its full output");
}
