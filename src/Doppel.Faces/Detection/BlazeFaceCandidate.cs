namespace Doppel.Faces.Detection;

/// <summary>
/// A decoded anchor in normalised input coordinates: score, box corners and six keypoints,
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
