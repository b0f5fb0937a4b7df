namespace Doppel.Faces.Detection;

/// <summary>
/// A decoded anchor, or a detection, in one coordinate frame (normalised input coordinates
/// when decoded, source pixels when scales are merged): score, box corners and six keypoints,
/// packed as [xmin, ymin, xmax, ymax, x0, y0, ..., x5, y5] so blending is one loop.
/// </summary>
internal sealed class BlazeFaceCandidate(float score, float[] coords)
{
    public const int KeypointCount = 6;
    public const int CoordCount = 4 + 2 * KeypointCount;

    public float Score { get; } = score;
    public float[] Coords { get; } = coords;

    public float XMin => Coords[0];
    public float YMin => Coords[1];
    public float XMax => Coords[2];
    public float YMax => Coords[3];

    /// <summary>A detection in source pixels as a candidate in the same pixels.</summary>
    public static BlazeFaceCandidate FromDetection(FaceDetection face)
    {
        if (face.Keypoints.Count != KeypointCount)
            throw new ArgumentException($"a BlazeFace detection has {KeypointCount} keypoints, got {face.Keypoints.Count}");
        var coords = new float[CoordCount];
        coords[0] = (float)face.Box.X;
        coords[1] = (float)face.Box.Y;
        coords[2] = (float)face.Box.Right;
        coords[3] = (float)face.Box.Bottom;
        for (int k = 0; k < KeypointCount; k++)
        {
            coords[4 + 2 * k] = (float)face.Keypoints[k].X;
            coords[5 + 2 * k] = (float)face.Keypoints[k].Y;
        }
        return new BlazeFaceCandidate(face.Score, coords);
    }

    /// <summary>The inverse of <see cref="FromDetection"/>.</summary>
    public FaceDetection ToDetection()
    {
        var keypoints = new DetectionPoint[KeypointCount];
        for (int k = 0; k < KeypointCount; k++) keypoints[k] = new DetectionPoint(Coords[4 + 2 * k], Coords[5 + 2 * k]);
        return new FaceDetection(new DetectionBox(XMin, YMin, XMax - XMin, YMax - YMin), Score, keypoints);
    }

    public float IoU(BlazeFaceCandidate other)
    {
        float w = Math.Min(XMax, other.XMax) - Math.Max(XMin, other.XMin);
        float h = Math.Min(YMax, other.YMax) - Math.Max(YMin, other.YMin);
        if (w <= 0 || h <= 0) return 0;
        float intersection = w * h;
        float union = (XMax - XMin) * (YMax - YMin) + (other.XMax - other.XMin) * (other.YMax - other.YMin) - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
