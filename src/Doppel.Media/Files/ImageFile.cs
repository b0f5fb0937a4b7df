using System.Globalization;
using Doppel.Core;
using Doppel.Media.Ffmpeg;
using Doppel.Media.Imaging;
using Doppel.Media.Png;

namespace Doppel.Media.Files;

/// <summary>
/// Reads and writes user images. Reading looks at the file's first bytes: JPEG, PNG, WebP, BMP
/// and GIF (first frame) are decoded in process by SkiaSharp, turned upright by their EXIF
/// orientation (phone photos are stored sideways), after the header's size is checked against
/// <see cref="MaxPixels"/>; anything else (TIFF, PPM, ...) costs one ffmpeg process, which asks
/// it for a single PPM frame on stdout. Every failure is a DoppelException naming the file.
/// For Doppel's own crops use <see cref="PngReader"/>/<see cref="PngWriter"/>.
/// </summary>
public static class ImageFile
{
    /// <summary>
    /// The most pixels a photo may have (120 megapixels: a 108-megapixel phone photo fits, and
    /// it decodes into under 0.5 GB). Checked from the header before decoding, so a file that
    /// claims a huge size is refused without allocating anything for it.
    /// </summary>
    public const long MaxPixels = 120_000_000;

    public static RgbImage Read(string path)
    {
        InputFile.RequireExists(path);
        if (MediaFormats.IsUndecodableImage(path)) throw MediaFormats.CannotDecode(path);
        string? format = Sniff(path);
        if (format == "HEIC") throw MediaFormats.CannotDecode(path, format);
        if (format is null) return ReadThroughFfmpeg(path);
        byte[] bytes = InputFile.ReadAllBytes(path);
        try
        {
            return SkiaPhotoDecoder.Decode(path, bytes, format);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException)
        {
            throw new DoppelException($"SkiaSharp's native library could not be loaded to read {path}: {e.GetBaseException().Message}",
                "run ./doppel setup (it restores SkiaSharp.NativeAssets.Linux and installs libfontconfig1)", e);
        }
    }

    // The format from the first bytes; an empty file is an error of its own, since nothing can read it.
    private static string? Sniff(string path)
    {
        Span<byte> head = stackalloc byte[PhotoSignature.Length];
        int read;
        try
        {
            using var stream = File.OpenRead(path);
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DoppelException($"cannot read {path}: {e.Message}", "check the file's permissions", e);
        }
        if (read == 0)
            throw new DoppelException($"{path} is empty (0 bytes)", "the file was not written completely; copy or export it again");
        return PhotoSignature.Sniff(head[..read]);
    }

    /// <summary>One ffmpeg process decodes the first frame (internal: the media bench times it against Skia).</summary>
    internal static RgbImage ReadThroughFfmpeg(string path)
    {
        using FfmpegProcess process = FfmpegProcess.Start(FfmpegTool.Ffmpeg,
        [
            "-hide_banner", "-nostdin", "-loglevel", "error",
            "-max_pixels", MaxPixels.ToString(CultureInfo.InvariantCulture), "-i", FfmpegPath.Of(path),
            "-map", "0:v:0", "-frames:v", "1", "-f", "image2pipe", "-c:v", "ppm", "-pix_fmt", "rgb24", "pipe:1",
        ]);
        var buffer = new MemoryStream();
        process.Output.CopyTo(buffer);
        int exit = process.WaitForExit();
        if (exit != 0 || buffer.Length == 0)
            throw new DoppelException($"{path} is not a JPEG, PNG, WebP, BMP or GIF, and ffmpeg cannot read it either ({process.LastErrorLine ?? "no details"})",
                "check that the file is a complete image; Doppel reads JPEG, PNG, WebP, BMP and GIF itself, and TIFF, PPM and other stills through ffmpeg");
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
}
