using Doppel.Faces.Detection;
using Doppel.Forensics.Detection;

namespace Doppel.Forensics.Tests.Detection;

/// <summary>Tracks across frames and how they pool into a verdict.</summary>
public class PoolingTests
{
    private static FaceObservation Face(long frame, double x, double y, double size, float score) =>
        new(frame, frame / 25.0, new DetectionBox(x, y, size, size), score, null, null);

    [Fact]
    public void TwoPeopleMakeTwoTracksAndAMovedFaceStaysInItsTrack()
    {
        var tracker = new FaceTracker();
        for (int f = 0; f < 5; f++) tracker.AddFrame([Face(f, 10 + 4 * f, 20, 100, 0.1f), Face(f, 300 - 4 * f, 30, 80, 0.9f)]);
        Assert.Equal(2, tracker.Tracks.Count);
        Assert.All(tracker.Tracks, t => Assert.Equal(5, t.Faces.Count));
        Assert.Equal(0.1f, tracker.Tracks[0].Score, 5);
        Assert.Equal(0.9f, tracker.Tracks[1].Score, 5);
        tracker.AddFrame([Face(5, 700, 500, 90, 0.5f)]); // far from both: a new track
        Assert.Equal(3, tracker.Tracks.Count);
    }

    [Fact]
    public void AnyOneFakeTrackMakesTheInputFakeAndShortTracksDoNotCount()
    {
        var real = new FaceTrack(0);
        var fake = new FaceTrack(1);
        var brief = new FaceTrack(2);
        for (int f = 0; f < 6; f++) { real.Add(Face(f, 0, 0, 100, 0.1f)); fake.Add(Face(f, 200, 0, 100, f == 0 ? 0.2f : 0.95f)); }
        brief.Add(Face(0, 400, 0, 100, 1f));
        var (verdict, reason, score, track) = VerdictRule.Decide([real, fake, brief], 0, 0, 40, 3, 0.8f);
        Assert.Equal(Verdict.LikelyFake, verdict);
        Assert.Null(reason);
        Assert.Equal(1, track);
        Assert.Equal((0.2f + 5 * 0.95f) / 6, score!.Value, 5); // the mean of the track's frames
        Assert.Equal(Verdict.NoEvidence, VerdictRule.Decide([real, brief], 0, 0, 40, 3, 0.8f).Verdict);
        var (v, why, s, _) = VerdictRule.Decide([brief], 0, 0, 40, 3, 0.8f);
        Assert.Equal(Verdict.Inconclusive, v);
        Assert.Null(s);
        Assert.Equal("too few frames with a face: the longest track has 1 (at least 3 needed)", why);
        Assert.Equal("no face found", VerdictRule.Decide([], 0, 0, 40, 3, 0.8f).Reason);
        Assert.StartsWith("faces too small: 2 found, the largest 31 px", VerdictRule.Decide([], 2, 31, 40, 3, 0.8f).Reason);
    }
}
