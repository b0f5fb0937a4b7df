using System.Globalization;
using System.Text.Json;
using Doppel.Core;
using Doppel.Media.Ffmpeg;
using Doppel.Media.Files;

namespace Doppel.Media.Video;

/// <summary>
/// Runs ffprobe once (JSON output) to describe a video. If the container does not record a
/// frame count (Matroska/WebM, some streams), a second ffprobe counts the packets of the video
/// stream: this reads the whole file but does not decode it, and for video one packet is one
/// frame.
/// </summary>
public static class VideoProbe
{
    public static VideoInfo Probe(string path)
    {
        InputFile.RequireExists(path);
        using JsonDocument json = RunJson(path,
            ["-v", "error", "-print_format", "json", "-show_streams", "-show_format", FfmpegPath.Of(path)]);
        JsonElement root = json.RootElement;
        JsonElement? video = null;
        string? audioCodec = null;
        bool hasAudio = false;
        if (root.TryGetProperty("streams", out JsonElement streams))
            foreach (JsonElement stream in streams.EnumerateArray())
            {
                string type = Text(stream, "codec_type") ?? "";
                if (type == "video" && video is null && !IsAttachedPicture(stream)) video = stream;
                if (type == "audio" && !hasAudio)
                {
                    hasAudio = true;
                    audioCodec = Text(stream, "codec_name");
                }
            }
        if (video is not { } v)
            throw new DoppelException($"{path} has no video stream", "pass a video or image file");

        int width = v.TryGetProperty("width", out JsonElement w) ? w.GetInt32() : 0;
        int height = v.TryGetProperty("height", out JsonElement h) ? h.GetInt32() : 0;
        if (width <= 0 || height <= 0)
            throw new DoppelException($"{path}: ffprobe reports no frame size for its video stream", "the file may be damaged");
        int rotation = RotationOf(v);
        if (Math.Abs(rotation) % 180 == 90) (width, height) = (height, width);

        Rational rate = ChooseFrameRate(Rational.TryParse(Text(v, "r_frame_rate")), Rational.TryParse(Text(v, "avg_frame_rate")));
        double? duration = Number(v, "duration")
            ?? (root.TryGetProperty("format", out JsonElement format) ? Number(format, "duration") : null);
        long? containerFrames = (long?)Number(v, "nb_frames");
        bool counted = containerFrames is null or <= 0;
        long frames = counted ? CountPackets(path) : containerFrames!.Value;
        duration ??= frames / rate.Value;

        return new VideoInfo
        {
            Path = path,
            Width = width,
            Height = height,
            FrameRate = rate,
            FrameCount = frames,
            FrameCountWasCounted = counted,
            Duration = TimeSpan.FromSeconds(duration.Value),
            VideoCodec = Text(v, "codec_name") ?? "unknown",
            HasAudio = hasAudio,
            AudioCodec = audioCodec,
            Rotation = rotation,
            ContainerFormat = root.TryGetProperty("format", out JsonElement f) ? Text(f, "format_name") ?? "" : "",
        };
    }

    /// <summary>
    /// r_frame_rate is the exact base rate of constant-rate video; for variable-rate files it can be
    /// a meaningless timebase such as 90000/1, so the measured average wins when the two disagree.
    /// </summary>
    internal static Rational ChooseFrameRate(Rational? real, Rational? average)
    {
        if (real is { } r && average is { } a)
            return Math.Abs(r.Value - a.Value) <= 0.01 * a.Value ? r : a;
        return real ?? average ?? new Rational(25, 1); // a still image: ffmpeg's own default
    }

    private static long CountPackets(string path)
    {
        using JsonDocument json = RunJson(path,
            ["-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets", "-print_format", "json", FfmpegPath.Of(path)]);
        foreach (JsonElement stream in json.RootElement.GetProperty("streams").EnumerateArray())
            if (Number(stream, "nb_read_packets") is { } n) return (long)n;
        throw new DoppelException($"{path}: ffprobe could not count the video frames", "the file may be damaged");
    }

    private static JsonDocument RunJson(string path, string[] arguments)
    {
        using FfmpegProcess process = FfmpegProcess.Start(FfmpegTool.Ffprobe, arguments);
        string text = new StreamReader(process.Output).ReadToEnd();
        int exit = process.WaitForExit();
        if (exit != 0)
            throw FfmpegErrors.Unreadable(path, "video or image", process.LastErrorLine);
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new DoppelException($"ffprobe gave unreadable output for {path}", "check the installed ffmpeg version", e);
        }
    }

    private static bool IsAttachedPicture(JsonElement stream) =>
        stream.TryGetProperty("disposition", out JsonElement d)
        && d.TryGetProperty("attached_pic", out JsonElement a) && a.ValueKind == JsonValueKind.Number && a.GetInt32() == 1;

    /// <summary>Phones store rotation as a display matrix (side data) or, in older files, a "rotate" tag.</summary>
    private static int RotationOf(JsonElement stream)
    {
        if (stream.TryGetProperty("side_data_list", out JsonElement list))
            foreach (JsonElement item in list.EnumerateArray())
                if (item.TryGetProperty("rotation", out JsonElement r) && r.ValueKind == JsonValueKind.Number)
                    return (int)Math.Round(r.GetDouble());
        if (stream.TryGetProperty("tags", out JsonElement tags) && Number(tags, "rotate") is { } tag)
            return (int)Math.Round(tag);
        return 0;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    /// <summary>ffprobe writes most numbers as strings ("4800", "200.000000", "N/A").</summary>
    private static double? Number(JsonElement e, string name)
    {
        string? text = Text(e, name);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null;
    }
}
