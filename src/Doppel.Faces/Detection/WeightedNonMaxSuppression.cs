namespace Doppel.Faces.Detection;

/// <summary>
/// MediaPipe's WEIGHTED non-maximum suppression (NonMaxSuppressionCalculator): take the
/// strongest remaining candidate, gather every remaining candidate overlapping it by more than
/// the IoU threshold (itself included), and replace the group by the score-weighted mean of
/// their boxes and keypoints, keeping the strongest score. Plain NMS would keep one anchor's
/// guess; averaging the group's guesses removes most of the frame-to-frame jitter.
/// </summary>
internal static class WeightedNonMaxSuppression
{
    /// <summary>
    /// The same suppression over detections in source pixels, as a multi-scale search merges
    /// what the whole frame and the tiles of each scale found: one face seen at two scales or in
    /// two overlapping tiles becomes one detection, its box the score-weighted mean.
    /// </summary>
    public static List<FaceDetection> Merge(IEnumerable<FaceDetection> faces, float iouThreshold) =>
        Apply(faces.Select(BlazeFaceCandidate.FromDetection).ToList(), iouThreshold).Select(c => c.ToDetection()).ToList();

    public static List<BlazeFaceCandidate> Apply(List<BlazeFaceCandidate> candidates, float iouThreshold)
    {
        var remaining = candidates.OrderByDescending(c => c.Score).ToList();
        var kept = new List<BlazeFaceCandidate>();
        var group = new List<BlazeFaceCandidate>();
        var rest = new List<BlazeFaceCandidate>();
        while (remaining.Count > 0)
        {
            BlazeFaceCandidate top = remaining[0];
            group.Clear();
            rest.Clear();
            foreach (var c in remaining)
                (c == top || top.IoU(c) > iouThreshold ? group : rest).Add(c);
            kept.Add(group.Count == 1 ? top : Blend(top.Score, group));
            (remaining, rest) = (rest, remaining);
        }
        return kept;
    }

    private static BlazeFaceCandidate Blend(float score, List<BlazeFaceCandidate> group)
    {
        var sum = new double[BlazeFaceCandidate.CoordCount];
        double total = 0;
        foreach (var c in group)
        {
            total += c.Score;
            for (int i = 0; i < sum.Length; i++) sum[i] += c.Coords[i] * (double)c.Score;
        }
        var coords = new float[sum.Length];
        for (int i = 0; i < sum.Length; i++) coords[i] = (float)(sum[i] / total);
        return new BlazeFaceCandidate(score, coords);
    }
}
