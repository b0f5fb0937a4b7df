using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Forensics.Model;
using Doppel.Tensors;
using Doppel.Tensors.IO;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.Tests.Model;

public class DetectorModelTests
{
    private static readonly DetectorSpec Small = new() { InputSize = 32, Width = 4 };

    [Fact]
    public void ASavedModelScoresTheSameAfterLoading()
    {
        using var dir = new TempDir();
        var net = new FakeDetectorNet(Small, new Rng(4));
        string path = Path.Combine(dir.Path, "m.safetensors");
        DetectorModel.Save(path, net, new JsonObject { ["name"] = "m", ["threshold"] = 0.7f, ["thresholdFpr"] = 0.01 });
        var model = DetectorModel.Load(path);
        var faces = Tests.Support.RealFaces.Of("franck", 32).Take(3).Select(f => f.Image).ToList();
        var a = FaceScorer.Score(net, faces, heatmaps: true);
        var b = FaceScorer.Score(model, faces, heatmaps: true);
        Assert.Equal(a.Select(s => s.Score), b.Select(s => s.Score));
        Assert.Equal(a[0].Heatmap, b[0].Heatmap);
        Assert.Equal(0.7f, model.Threshold);
        Assert.Equal(0.01, model.ThresholdFpr);
        Assert.Equal(Small, model.Spec);
        Assert.True(File.Exists(Path.Combine(dir.Path, "m.json")));
    }

    [Fact]
    public void FilesThatAreNotDetectorsAreRefusedWithAHint()
    {
        using var dir = new TempDir();
        string garbage = Path.Combine(dir.Path, "garbage.safetensors");
        File.WriteAllBytes(garbage, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        string other = Path.Combine(dir.Path, "other.safetensors");
        SafeTensors.Save(other, [("w", Tensor.Zeros(2, 2))]);
        string missing = Path.Combine(dir.Path, "missing.safetensors");
        string edited = Path.Combine(dir.Path, "edited.safetensors");
        var net = new FakeDetectorNet(Small, new Rng(1));
        SafeTensors.Save(edited, net.StateDict().Skip(1), new Dictionary<string, string>
        {
            [DetectorModel.MetadataKey] = "{\"format\":\"doppel-fake-detector/1\",\"spec\":{\"inputSize\":32,\"width\":4,\"faceFraction\":0.8}}",
        });
        foreach (var (path, words) in new[] { (garbage, "not a detector"), (other, "not a Doppel fake detector"), (missing, "not found"), (edited, "do not fit") })
        {
            var e = Assert.Throws<DoppelException>(() => DetectorModel.Load(path));
            Assert.Contains(words, e.Message);
            Assert.False(string.IsNullOrEmpty(e.Hint));
        }
    }
}
