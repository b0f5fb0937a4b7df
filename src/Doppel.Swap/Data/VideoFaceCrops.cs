using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Media.Video;

namespace Doppel.Swap.Data;

/// <summary>
/// Square face crops from a video, resized for training. Until the face extractor exists
/// (issue 3) the crop region is a fixed square given by the caller (for the bundled videos, the
/// frontal face sits in a known part of the frame); with alignments it will follow the face.
/// </summary>
public static class VideoFaceCrops
{
    /// <summary>Reads every <paramref name="everyNth"/> frame (at most <paramref name="maxFaces"/>) and crops the square (x, y, side).</summary>
    public static List<RgbImage> Read(string video, (int X, int Y, int Side) square, int size, int everyNth, int maxFaces, Action<long>? progress = null)
    {
        var faces = new List<RgbImage>();
        using var reader = new VideoReader(video, new VideoReadOptions { EveryNth = everyNth, MaxFrames = maxFaces });
        foreach (var frame in reader.Frames())
        {
            var img = frame.Image;
            int side = Math.Min(square.Side, Math.Min(img.Width, img.Height));
            int x = Math.Clamp(square.X, 0, img.Width - side), y = Math.Clamp(square.Y, 0, img.Height - side);
            faces.Add(ImageResize.Resize(img.Crop(x, y, side, side), size, size));
            progress?.Invoke(faces.Count);
        }
        return faces;
    }
}
