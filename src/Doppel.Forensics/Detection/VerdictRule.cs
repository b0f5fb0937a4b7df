namespace Doppel.Forensics.Detection;

/// <summary>
/// How frames and tracks pool into one verdict. A track's score is the mean of its frames'
/// scores; only tracks with at least the minimum number of scored frames count (one frame for
/// an image); the input's score is the highest counting track's, because a video is fake when
/// any one person in it is. No face, faces too small to score, or no track long enough make the
/// verdict inconclusive, with the reason, rather than a score that means nothing.
/// </summary>
public static class VerdictRule
{
    public static (Verdict Verdict, string? Reason, float? Score, int? Track) Decide(
        IReadOnlyList<FaceTrack> tracks, int smallFaces, double largestSmall, double minFaceSize, int minTrackFrames, float threshold)
    {
        if (tracks.Count == 0)
            return smallFaces > 0
                ? (Verdict.Inconclusive, $"faces too small: {smallFaces} found, the largest {largestSmall:F0} px wide (at least {minFaceSize:F0} px needed)", null, null)
                : (Verdict.Inconclusive, "no face found", null, null);
        var counting = tracks.Where(t => t.Faces.Count >= minTrackFrames).ToList();
        if (counting.Count == 0)
        {
            int longest = tracks.Max(t => t.Faces.Count);
            return (Verdict.Inconclusive, $"too few frames with a face: the longest track has {longest} (at least {minTrackFrames} needed)", null, null);
        }
        var worst = counting.MaxBy(t => t.Score)!;
        return worst.Score >= threshold
            ? (Verdict.LikelyFake, null, worst.Score, worst.Id)
            : (Verdict.NoEvidence, null, worst.Score, worst.Id);
    }
}
