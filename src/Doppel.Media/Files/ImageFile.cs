using System.Globalization;
using Doppel.Core;
using Doppel.Media.Ffmpeg;
using Doppel.Media.Imaging;
using Doppel.Media.Png;

namespace Doppel.Media.Files;

/// <summary>
/// Reads and writes user images of any format ffmpeg knows (jpg, png, webp, bmp, tiff, ...).
/// PNGs the in-process <see cref="PngReader"/> supports skip ffmpeg entirely; everything else
/// costs one ffmpeg process, which asks it for a single PPM frame on stdout (the PPM header
/// carries the size, so no separate ffprobe run is needed). Meant for photos a user passes in,
/// not for thousands of crops: use <see cref="PngReader"/>/<see cref="PngWriter"/> for those.
/// ffmpeg applies a JPEG's EXIF orientation itself, so phone photos come out upright.
/// </summary>
public static class ImageFile
{
    public static RgbImage Read(string path)
    {
        InputFile.RequireExists(path);
        if (IsSimplePng(path)) return PngReader.Read(path);
        using FfmpegProcess process = FfmpegProcess.Start(FfmpegTool.Ffmpeg,
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-i", FfmpegPath.Of(path),
            "-map", "0:v:0", "-frames:v", "1", "-f", "image2pipe", "-c:v", "ppm", "-pix_fmt", "rgb24", "pipe:1",
        ]);
        var buffer = new MemoryStream();
        process.Output.CopyTo(buffer);
        int exit = process.WaitForExit();
        if (exit != 0 || buffer.Length == 0)
            throw FfmpegErrors.Unreadable(path, "image", process.LastErrorLine);
        return PpmParser.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), path);
    }

    /// <summary>Writes by extension: .png in process, anything else (jpg quality ~95, webp, bmp, ...) through ffmpeg.
    /// Atomic either way: the target appears only when complete.</summary>
    public static void Write(string path, RgbImage image)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".png")
        {
            PngWriter.Write(path, image);
            return;
        }
        if (extension.Length < 2) throw new DoppelException($"cannot tell the image format of {path}", "give the file an extension such as .png or .jpg");
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        // Keep the real extension last so ffmpeg's image2 muxer picks the matching encoder.
        string temporary = Path.Combine(directory, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.tmp{extension}");
        try
        {
            using (FfmpegProcess process = FfmpegProcess.Start(FfmpegTool.Ffmpeg,
            [
                "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
                "-s", string.Create(CultureInfo.InvariantCulture, $"{image.Width}x{image.Height}"), "-i", "pipe:0",
                "-frames:v", "1", "-q:v", "2", "-update", "1", FfmpegPath.Of(temporary),
            ], keepStdinOpen: true))
            {
                try
                {
                    process.Input.Write(image.Data);
                }
                catch (IOException)
                {
                    // ffmpeg exited early; the exit code below reports it.
                }
                process.CloseInput();
                int exit = process.WaitForExit();
                if (exit != 0)
                    throw FfmpegErrors.Failed($"writing {path}", exit, process.LastErrorLine);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static bool IsSimplePng(string path)
    {
        Span<byte> head = stackalloc byte[33]; // signature + IHDR chunk
        using var stream = File.OpenRead(path);
        if (stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length) return false;
        if (!PngChunkLayout.HasSignature(head)) return false;
        byte depth = head[24], interlace = head[28];
        return depth >= 8 && interlace == 0;
    }
}
