using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Forensics.Model;
using Doppel.Forensics.Training;
using Doppel.Swap.Tests.Support;
using Doppel.Tensors.IO;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.Tests.Training;

/// <summary>detect ensemble: members joined into one file, scored by their mean logit, calibrated on new people; bad members refused.</summary>
public class DetectorEnsembleTests
{
    private static readonly DetectorSpec Small = new() { InputSize = 32, Width = 4 };

    private static string Member(TempDir dir, string name, ulong seed, DetectorSpec? spec = null)
    {
        string path = Path.Combine(dir.Path, name + ".safetensors");
        DetectorModel.Save(path, new FakeDetectorNet(spec ?? Small, new Rng(seed)),
            new JsonObject { ["name"] = name, ["threshold"] = 0.5f, ["training"] = new JsonObject { ["seed"] = seed } });
        return path;
    }

    [Fact]
    public void AnEnsembleScoresTheMeanLogitOfItsMembersAndIsCalibratedOnTheNewPeople()
    {
        using var dir = new TempDir();
        var (franck, _) = RealFaceSets.Build(dir.Sub("sets"));
        string a = Member(dir, "a", 1), b = Member(dir, "b", 2), output = Path.Combine(dir.Path, "ensemble.safetensors");
        var info = DetectorEnsemble.Build(new DetectorEnsembleOptions { Members = [a, b], CalibrationSets = [franck], Output = output, TargetFpr = 0.1, Command = "test" });

        var model = DetectorModel.Load(output);
        Assert.Equal(2, model.Nets.Count);
        Assert.Equal(info["version"]!.GetValue<string>(), model.Version);
        var members = model.Info["members"]!.AsArray();
        Assert.Equal(DetectorModel.Load(a).Version, members[0]!["version"]!.GetValue<string>());
        Assert.Equal(2UL, members[1]!["training"]!["seed"]!.GetValue<ulong>());
        Assert.True(File.Exists(Path.ChangeExtension(output, ".json")));

        // The score is the mean logit of the members (each already the mean of face and mirror).
        var faces = CalibrationFaces.Load([franck], Small).Faces;
        var one = FaceScorer.Score(DetectorModel.Load(a), faces);
        var two = FaceScorer.Score(DetectorModel.Load(b), faces);
        var both = FaceScorer.Score(model, faces);
        for (int i = 0; i < faces.Count; i++)
            Assert.Equal(Sigmoid(0.5f * (Logit(one[i].Score) + Logit(two[i].Score))), both[i].Score, 4);

        // The threshold is the ensemble's own, on the calibration faces, and its rate is exact.
        var scores = both.Select(s => s.Score).ToList();
        double flagged = scores.Count(s => s >= model.Threshold) / (double)scores.Count;
        Assert.True(flagged <= 0.1, $"{flagged} of the calibration faces flagged");
        Assert.Equal(flagged, model.ThresholdFpr!.Value, 12);
        Assert.StartsWith(DetectorModel.NewPeopleCalibration, model.Info["calibration"]!.GetValue<string>());
        Assert.Equal("real faces of people it never trained on", model.ThresholdFprMeasuredOn);
    }

    [Fact]
    public void BadMembersAndAMissingCalibrationAreRefusedWithAHint()
    {
        using var dir = new TempDir();
        var (franck, _) = RealFaceSets.Build(dir.Sub("sets"));
        string a = Member(dir, "a", 1), b = Member(dir, "b", 2), wide = Member(dir, "wide", 3, Small with { Width = 8 });
        string ensemble = Path.Combine(dir.Path, "e.safetensors");
        DetectorEnsemble.Build(new DetectorEnsembleOptions { Members = [a, b], CalibrationSets = [franck], Output = ensemble });
        foreach (var (members, calibration, words) in new (string[], string[], string)[]
        {
            ([a], [franck], "at least two"),
            ([a, b], [], "must be calibrated"),
            ([a, wide], [franck], "another shape"),
            ([a, ensemble], [franck], "itself an ensemble"),
            ([a, Path.Combine(dir.Path, "missing.safetensors")], [franck], "not found"),
        })
        {
            string output = Path.Combine(dir.Path, "out.safetensors");
            var e = Assert.Throws<DoppelException>(() => DetectorEnsemble.Build(new DetectorEnsembleOptions { Members = members, CalibrationSets = calibration, Output = output }));
            Assert.Contains(words, e.Message);
            Assert.False(string.IsNullOrEmpty(e.Hint));
            Assert.False(File.Exists(output), "nothing is written when the ensemble is refused");
        }
    }

    [Fact]
    public void AnEnsembleWhoseMetadataLosesAMemberDoesNotLoad()
    {
        using var dir = new TempDir();
        var (franck, _) = RealFaceSets.Build(dir.Sub("sets"));
        string a = Member(dir, "a", 1), b = Member(dir, "b", 2), c = Member(dir, "c", 3), ensemble = Path.Combine(dir.Path, "e.safetensors");
        DetectorEnsemble.Build(new DetectorEnsembleOptions { Members = [a, b, c], CalibrationSets = [franck], Output = ensemble });
        var (tensors, metadata) = SafeTensors.Load(ensemble);
        var info = JsonNode.Parse(metadata[DetectorModel.MetadataKey])!.AsObject();
        info["members"]!.AsArray().RemoveAt(2);
        string edited = Path.Combine(dir.Path, "edited.safetensors");
        SafeTensors.Save(edited, tensors.Select(t => (t.Key, t.Value)).ToList(), new Dictionary<string, string> { [DetectorModel.MetadataKey] = info.ToJsonString() });
        var e = Assert.Throws<DoppelException>(() => DetectorModel.Load(edited));
        Assert.Contains("belong to no member", e.Message);
    }

    private static float Logit(float p) => MathF.Log(p / (1 - p));
    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
