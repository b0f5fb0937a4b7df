using Doppel.Faces.Detection;

namespace Doppel.Faces.Evaluation;

/// <summary>
/// Found and false faces of one photo. Detections are matched one to one with the true faces,
/// best overlap first, when their boxes overlap by at least <see cref="MatchIoU"/> (a detection
/// from a tile or another scale sits a little off, and BlazeFace's box is the face, not the
/// head, so the bar is the usual 0.5 lowered a little). True faces smaller than the size
/// asked for are neither missed when not found nor false when found: they are out of scope.
/// </summary>
public sealed record DetectionTally(int Faces, int Found, int False)
{
    public const double MatchIoU = 0.4;

    public static DetectionTally Of(IReadOnlyList<DetectionBox> truth, IReadOnlyList<DetectionBox> detected, double minFaceSize)
    {
        bool InScope(DetectionBox b) => b.Width >= minFaceSize && b.Height >= minFaceSize;
        var (truthFound, detectionMatched) = Match(truth, detected);
        int faces = 0, found = 0, falseFaces = 0;
        for (int t = 0; t < truth.Count; t++)
            if (InScope(truth[t]))
            {
                faces++;
                if (truthFound[t]) found++;
            }
        for (int d = 0; d < detected.Count; d++)
            if (!detectionMatched[d] && InScope(detected[d])) falseFaces++;
        return new DetectionTally(faces, found, falseFaces);
    }

    /// <summary>Which true faces were found, and which detections found one: one to one, best overlap first.</summary>
    public static (bool[] TruthFound, bool[] DetectionMatched) Match(IReadOnlyList<DetectionBox> truth, IReadOnlyList<DetectionBox> detected)
    {
        var pairs = new List<(double IoU, int Truth, int Detected)>();
        for (int t = 0; t < truth.Count; t++)
            for (int d = 0; d < detected.Count; d++)
                if (truth[t].IoU(detected[d]) is var iou && iou >= MatchIoU) pairs.Add((iou, t, d));
        var truthFound = new bool[truth.Count];
        var detectionMatched = new bool[detected.Count];
        foreach (var (_, t, d) in pairs.OrderByDescending(p => p.IoU))
            if (!truthFound[t] && !detectionMatched[d]) truthFound[t] = detectionMatched[d] = true;
        return (truthFound, detectionMatched);
    }

    public static DetectionTally operator +(DetectionTally a, DetectionTally b) => new(a.Faces + b.Faces, a.Found + b.Found, a.False + b.False);

    public double FoundFraction => Faces == 0 ? 1 : (double)Found / Faces;
}
