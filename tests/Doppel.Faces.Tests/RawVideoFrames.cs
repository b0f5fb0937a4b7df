using System.Diagnostics;

namespace Doppel.Faces.Tests;

/// <summary>
/// Test-only frame source until Doppel.Media's VideoReader lands: decodes a video with
/// exactly the ffmpeg arguments the dlib fixture tool used (raw rgb24 over a pipe), so the
/// C# predictor sees the very pixels dlib saw, and keeps only the frames asked for.
/// </summary>
internal static class RawVideoFrames
{
    public static Dictionary<int, byte[]> Read(string video, int width, int height, IReadOnlySet<int> wanted)
    {
        var start = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-v", "error", "-nostdin", "-i", video, "-f", "rawvideo", "-pix_fmt", "rgb24", "-" })
            start.ArgumentList.Add(arg);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start ffmpeg");
        var stderr = process.StandardError.ReadToEndAsync();
        var frames = new Dictionary<int, byte[]>();
        Stream output = process.StandardOutput.BaseStream;
        var buffer = new byte[width * height * 3];
        int last = wanted.Count == 0 ? -1 : wanted.Max();
        for (int index = 0; index <= last; index++)
        {
            output.ReadExactly(buffer);
            if (wanted.Contains(index)) frames[index] = (byte[])buffer.Clone();
        }
        // Stop decoding the rest of the video: the frames we need are in.
        if (!process.HasExited) process.Kill();
        process.WaitForExit();
        _ = stderr.Result;
        return frames;
    }
}
