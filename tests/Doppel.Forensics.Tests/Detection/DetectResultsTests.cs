using System.Text.Json.Nodes;
using Doppel.Faces.Detection;
using Doppel.Forensics.Detection;

namespace Doppel.Forensics.Tests.Detection;

/// <summary>The --json schema (docs/formats.md) and the --csv columns.</summary>
public class DetectResultsTests
{
    private static InputVerdict Example()
    {
        var track = new FaceTrack(0);
        track.Add(new FaceObservation(12, 0.5, new DetectionBox(10, 20, 100, 110), 0.75f, null, null));
        track.Add(new FaceObservation(36, 1.5, new DetectionBox(12, 21, 100, 110), 0.85f, null, null));
        return new InputVerdict
        {
            Path = "/videos/a, \"b\".mp4", Kind = "video", Verdict = Verdict.LikelyFake, Score = 0.8f, Threshold = 0.7f, ThresholdFpr = 0.01,
            Model = "doppel-sbi-96", ModelVersion = "0123456789ab", FramesRead = 2, FramesWithFaces = 2, DurationSeconds = 10, Tracks = [track],
            DecidingTrack = 0, Provenance = new ProvenanceFinding(ProvenanceState.NoManifest, false, [], null, null),
        };
    }

    [Fact]
    public void JsonHasEveryFieldTheFormatPageNames()
    {
        var doc = DetectResults.ToJson([Example()], new DetectOptions());
        Assert.Equal("doppel-detect/1", doc["format"]!.GetValue<string>());
        Assert.Equal("0 = looks real, 1 = looks fake", doc["scores"]!.GetValue<string>());
        var input = doc["inputs"]![0]!.AsObject();
        foreach (string key in new[] { "file", "kind", "verdict", "reason", "score", "threshold", "thresholdFpr", "thresholdFprOn", "model", "modelVersion", "framesRead", "framesWithFaces", "durationSeconds", "decidingTrack", "provenance", "tracks" })
            Assert.True(input.ContainsKey(key), $"missing {key}");
        Assert.Equal("likely-fake", input["verdict"]!.GetValue<string>());
        Assert.Equal("none", input["provenance"]!["state"]!.GetValue<string>());
        var face = input["tracks"]![0]!["faces"]![1]!.AsObject();
        Assert.Equal(36, face["frame"]!.GetValue<long>());
        Assert.Equal(1.5, face["time"]!.GetValue<double>());
        Assert.Equal(new[] { 12.0, 21.0, 100.0, 110.0 }, face["box"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(0.85, face["score"]!.GetValue<double>(), 4);
        // The schema page lists the same keys.
        string formats = File.ReadAllText(Path.Combine(Support.RepoPaths.Root, "docs", "formats.md"));
        foreach (var (key, _) in input) Assert.Contains($"`{key}`", formats);
    }

    [Fact]
    public void CsvHasOneRowPerInputUnderTheDocumentedHeader()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "out.csv");
        DetectResults.WriteCsv(path, [Example(), Example() with { Verdict = Verdict.Inconclusive, Reason = "no face found", Score = null }]);
        var lines = File.ReadAllLines(path);
        Assert.Equal(string.Join(',', DetectResults.CsvColumns), lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("\"/videos/a, \"\"b\"\".mp4\",video,likely-fake,,0.8,0.7,0.01,doppel-sbi-96,0123456789ab,2,2,1,none,no,C2PA: no manifest", lines[1]);
        Assert.Contains(",inconclusive,no face found,,0.7,", lines[2]);
        string formats = File.ReadAllText(Path.Combine(Support.RepoPaths.Root, "docs", "formats.md"));
        Assert.Contains(string.Join(',', DetectResults.CsvColumns), formats);
    }
}
