using System.Diagnostics;
using Doppel.Media.Imaging;

namespace Doppel.Media.Tests.Support;

/// <summary>Runs ffmpeg directly, as an independent oracle and to make fixtures.</summary>
public static class FfmpegCli
{
    public static byte[] Run(params string[] arguments) => Run("ffmpeg", arguments);

    public static byte[] Run(string tool, string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        info.ArgumentList.Add("-hide_banner");
        foreach (string a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed: {stderr.Result}");
        return output.ToArray();
    }

    /// <summary>ffmpeg's own decoding of an image file to rgb24.</summary>
    public static RgbImage DecodeToRgb(string path, int width, int height) =>
        new(width, height, Run("-loglevel", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"));

    /// <summary>Writes raw rgb24 to a PNG with the given pixel format and prediction ("none", "sub", "up", "avg", "paeth", "mixed").</summary>
    public static void EncodePng(RgbImage image, string path, string pixelFormat, string prediction = "mixed", bool interlaced = false)
    {
        string raw = path + ".rgb";
        File.WriteAllBytes(raw, image.Data);
        try
        {
            var args = new List<string> { "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{image.Width}x{image.Height}", "-i", raw,
                "-pix_fmt", pixelFormat, "-pred", prediction };
            if (interlaced) args.AddRange(["-flags", "+ildct"]);
            args.AddRange(["-frames:v", "1", "-update", "1", path]);
            Run(args.ToArray());
        }
        finally
        {
            File.Delete(raw);
        }
    }
}
