using Doppel.Media.Imaging;
using Doppel.Media.Video;

namespace Doppel.Forensics.Compression;

/// <summary>
/// What H.264 does to faces: images of one size encoded as one x264 stream at a given CRF
/// through <see cref="VideoWriter"/> and decoded back with <see cref="VideoReader"/>. Every
/// frame is a keyframe, because the frames of a training batch are unrelated (a real and its
/// self-blend side by side would otherwise be coded as a frame and its difference, a trace
/// that only the pair has). One ffmpeg round trip per call, so callers pass a whole batch.
/// </summary>
public static class H264RoundTrip
{
    public static IReadOnlyList<RgbImage> Apply(IReadOnlyList<RgbImage> frames, int crf)
    {
        if (frames.Count == 0) return [];
        int w = frames[0].Width, h = frames[0].Height;
        if (frames.Any(f => f.Width != w || f.Height != h)) throw new ArgumentException("every frame must have the same size", nameof(frames));
        string path = Path.Combine(Path.GetTempPath(), $"doppel-h264-{Environment.ProcessId}-{Guid.NewGuid():N}.mp4");
        try
        {
            using (var writer = new VideoWriter(path, w, h, new Rational(25, 1), new VideoWriteOptions { Crf = crf, KeyframeInterval = 1, Preset = "veryfast" }))
            {
                foreach (var frame in frames) writer.Write(frame);
                writer.Complete();
            }
            var result = new List<RgbImage>(frames.Count);
            using (var reader = new VideoReader(path))
            {
                foreach (var frame in reader.Frames())
                    result.Add(reader.Info.Width == w && reader.Info.Height == h ? frame.Image : frame.Image.Crop(0, 0, w, h));
            }
            if (result.Count != frames.Count)
                throw new InvalidOperationException($"H.264 round trip gave back {result.Count} of {frames.Count} frames");
            return result;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
