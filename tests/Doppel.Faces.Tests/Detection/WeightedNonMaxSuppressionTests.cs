using Doppel.Faces.Detection;

namespace Doppel.Faces.Tests.Detection;

public class WeightedNonMaxSuppressionTests
{
    private static BlazeFaceCandidate Box(float score, float x, float y, float size)
    {
        var coords = new float[BlazeFaceCandidate.CoordCount];
        coords[0] = x; coords[1] = y; coords[2] = x + size; coords[3] = y + size;
        for (int k = 0; k < 6; k++) { coords[4 + 2 * k] = x + k; coords[5 + 2 * k] = y; }
        return new BlazeFaceCandidate(score, coords);
    }

    [Fact]
    public void OverlappingCandidates_BlendByScore_KeepingTheTopScore()
    {
        // Offset by 1 of 10 px: IoU 90 / 110, one face.
        var kept = WeightedNonMaxSuppression.Apply([Box(0.25f, 1, 0, 10), Box(0.75f, 0, 0, 10)], 0.3f);
        var c = Assert.Single(kept);
        Assert.Equal(0.75f, c.Score);
        Assert.Equal(0.25f, c.XMin, 6); // 0.75 * 0 + 0.25 * 1
        Assert.Equal(10.25f, c.XMax, 6);
        Assert.Equal(0.25f + 5, c.Coords[4 + 2 * 5], 5); // keypoints blend the same way
    }

    [Fact]
    public void SeparateFaces_StayApart_StrongestFirst()
    {
        var kept = WeightedNonMaxSuppression.Apply(
            [Box(0.7f, 0, 0, 10), Box(0.8f, 100, 0, 10), Box(0.6f, 0.5f, 0, 10), Box(0.95f, 50, 50, 20)], 0.3f);
        Assert.Equal([0.95f, 0.8f, 0.7f], kept.Select(k => k.Score));
    }

    [Fact]
    public void NoCandidates_NoFaces() => Assert.Empty(WeightedNonMaxSuppression.Apply([], 0.3f));

    [Fact]
    public void AtTheThreshold_CandidatesAreNotMerged()
    {
        // Two 10x10 boxes offset by 5: IoU = 50 / 150 = 1/3.
        Assert.Equal(2, WeightedNonMaxSuppression.Apply([Box(0.9f, 0, 0, 10), Box(0.8f, 5, 0, 10)], 0.34f).Count);
        Assert.Single(WeightedNonMaxSuppression.Apply([Box(0.9f, 0, 0, 10), Box(0.8f, 5, 0, 10)], 0.33f));
    }

    private static FaceDetection Face(float score, double x, double y, double size) =>
        new(new DetectionBox(x, y, size, size), score, Enumerable.Range(0, 6).Select(k => new DetectionPoint(x + k, y + size / 2)).ToArray());

    [Fact]
    public void Merge_blends_one_face_seen_at_two_scales_and_keeps_others_apart()
    {
        // The same face from the whole frame and from a tile, 4 px apart; another face far away.
        var merged = WeightedNonMaxSuppression.Merge([Face(0.6f, 100, 100, 40), Face(0.9f, 104, 100, 40), Face(0.8f, 400, 80, 30)], 0.3f);
        Assert.Equal(2, merged.Count);
        Assert.Equal(0.9f, merged[0].Score);
        Assert.Equal((0.6 * 100 + 0.9 * 104) / 1.5, merged[0].Box.X, 3);
        Assert.Equal(40, merged[0].Box.Width, 3);
        Assert.Equal(merged[0].Box.X + 5, merged[0].Keypoints[5].X, 3);
        Assert.Equal(new DetectionBox(400, 80, 30, 30), merged[1].Box);
    }
}
