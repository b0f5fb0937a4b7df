using Doppel.Faces.Extraction;
using Doppel.Forensics.Detection;
using Doppel.Forensics.Tests.Support;
using Doppel.Media.Files;
using Doppel.Media.Imaging;
using Doppel.Provenance;
using Doppel.Provenance.Cose;
using Doppel.Provenance.Manifest;

namespace Doppel.Forensics.Tests.Detection;

/// <summary>detect on real inputs and bad ones, with an untrained model: verdict structure, tracks, reasons, provenance beside the pixels.</summary>
public class FakeDetectionTests(DetectFixture fx) : IClassFixture<DetectFixture>
{
    [Fact]
    public void AVideoOfOnePersonGivesOneTrackScoredOnEveryFrame()
    {
        var v = fx.Detection.Detect(fx.ShortVideo, InputKind.Video);
        Assert.Equal("video", v.Kind);
        Assert.Equal(24, v.FramesRead);
        Assert.Equal(24, v.FramesWithFaces);
        var track = Assert.Single(v.Tracks);
        Assert.Equal(24, track.Faces.Count);
        Assert.Equal(track.Faces.Select(f => f.Frame), Enumerable.Range(0, 24).Select(i => (long)i));
        Assert.NotEqual(Verdict.Inconclusive, v.Verdict);
        Assert.Equal(track.Score, v.Score);
        Assert.Equal(v.Score >= 0.5f ? Verdict.LikelyFake : Verdict.NoEvidence, v.Verdict);
        Assert.Equal(0.5f, v.Threshold);
        Assert.Equal(0.01, v.ThresholdFpr);
        Assert.Equal("tiny-test", v.Model);
        Assert.Equal(ProvenanceState.NoManifest, v.Provenance.State);
        Assert.Equal("C2PA: no manifest", v.Provenance.Describe());
        Assert.All(track.Faces, f => Assert.True(f.Box.Width > 60 && f.Picture is { Width: 32 } && f.Heatmap is { Length: 64 }));
    }

    [Fact]
    public void AnImageWithoutAFaceIsInconclusiveWithoutAScore()
    {
        var blank = new RgbImage(200, 150);
        for (int i = 0; i < blank.Data.Length; i++) blank.Data[i] = (byte)(i / 3 % 200);
        string path = Path.Combine(fx.Dir.Path, "noface.png");
        ImageFile.Write(path, blank);
        var v = fx.Detection.Detect(path, InputKind.Image);
        Assert.Equal(Verdict.Inconclusive, v.Verdict);
        Assert.Equal("no face found", v.Reason);
        Assert.Null(v.Score);
    }

    [Fact]
    public void APhotoIsSearchedAtEveryScaleSoEveryFaceOfAGroupIsScored()
    {
        // A professional group portrait (npm @vladmandic/face-api's demo): the whole-frame search
        // that video frames get finds one of its three faces; extract's every-scale search finds
        // all three, and detect must score the faces its threshold was calibrated on (extract's).
        string photo = Doppel.Core.DoppelPaths.NpmFile("@vladmandic/face-api@1.7.15", "demo/sample2.jpg");
        var image = ImageFile.Read(photo);
        using var extractor = new FaceExtractor(new FaceExtractorOptions { Faces = FaceSelection.All });
        int wholeFrame = extractor.Extract(image).Count, everyScale = extractor.Extract(image, photo: true).Count;
        Assert.True(everyScale > wholeFrame, $"the photo no longer tells the searches apart ({everyScale} faces at every scale, {wholeFrame} whole)");
        var v = fx.Detection.Detect(photo, InputKind.Image);
        Assert.Equal(everyScale, v.Tracks.Sum(t => t.Faces.Count));
    }

    [Fact]
    public void FacesBelowTheMinimumSizeAreNotScored()
    {
        using var strict = new FakeDetection(fx.Model, new DetectOptions { MinFaceSize = 400 });
        var v = strict.Detect(fx.FaceImage, InputKind.Image);
        Assert.Equal(Verdict.Inconclusive, v.Verdict);
        Assert.StartsWith("faces too small: 1 found, the largest", v.Reason);
        Assert.Null(v.Score);
    }

    [Fact]
    public void BrokenFilesAreInconclusiveAndNamed()
    {
        string video = Path.Combine(fx.Dir.Path, "corrupt.mp4"), image = Path.Combine(fx.Dir.Path, "corrupt.jpg");
        var bytes = File.ReadAllBytes(fx.ShortVideo);
        File.WriteAllBytes(video, bytes.AsSpan(0, 2000).ToArray()); // header only, cut mid-stream
        File.WriteAllBytes(image, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7]);
        foreach (var (path, kind) in new[] { (video, InputKind.Video), (image, InputKind.Image) })
        {
            var v = fx.Detection.Detect(path, kind);
            Assert.Equal(Verdict.Inconclusive, v.Verdict);
            Assert.StartsWith("unreadable: ", v.Reason);
            Assert.Null(v.Score);
        }
    }

    [Fact]
    public void ASignedSyntheticImageIsReportedAsLabelledBesideItsScore()
    {
        string dir = Path.Combine(fx.Dir.Path, "signed");
        Directory.CreateDirectory(dir);
        string signed = Path.Combine(dir, "labelled.png");
        using var identity = SigningIdentity.LoadOrCreateLocal(Path.Combine(dir, "identity"));
        ContentCredentials.SignFile(fx.FaceImage, signed, new SynthesisLabel { Kind = SynthesisKind.Composite }, identity);
        var v = fx.Detection.Detect(signed, InputKind.Image);
        Assert.Equal(ProvenanceState.Valid, v.Provenance.State);
        Assert.True(v.Provenance.SaysSynthetic);
        Assert.Contains("compositeWithTrainedAlgorithmicMedia", v.Provenance.SourceTypes);
        Assert.StartsWith("C2PA: valid, says synthetic (compositeWithTrainedAlgorithmicMedia, made by Doppel", v.Provenance.Describe());
        Assert.NotNull(v.Score); // the pixels are still scored, on their own
        var unsigned = fx.Detection.Detect(fx.FaceImage, InputKind.Image);
        Assert.Equal(unsigned.Score, v.Score);
    }
}
