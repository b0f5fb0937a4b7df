using Doppel.Faces.Landmarks;

namespace Doppel.Faces.Detection;

/// <summary>
/// An axis-aligned box in continuous pixel coordinates: the top-left corner of the image is
/// (0, 0) and a box covering exactly pixel column 0 is X = 0, Width = 1 (so a 360-wide frame
/// spans 0..360). This is the convention of <c>box: [x, y, w, h]</c> in alignments.json.
/// </summary>
public readonly record struct DetectionBox(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;
    public double Bottom => Y + Height;
    public double CenterX => X + Width / 2;
    public double CenterY => Y + Height / 2;
    public double Area => Math.Max(0, Width) * Math.Max(0, Height);

    /// <summary>Intersection over union; 0 when the boxes do not overlap or both are empty.</summary>
    public double IoU(DetectionBox other)
    {
        double w = Math.Min(Right, other.Right) - Math.Max(X, other.X);
        double h = Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);
        if (w <= 0 || h <= 0) return 0;
        double intersection = w * h;
        return intersection / (Area + other.Area - intersection);
    }

    /// <summary>The same pixels as a dlib rectangle (inclusive right/bottom), for the landmark predictor.</summary>
    public FaceBox ToFaceBox() => FaceBox.FromXywh(X, Y, Width, Height);

    /// <summary>A dlib rectangle (inclusive right/bottom) as a box over the same pixels.</summary>
    public static DetectionBox FromFaceBox(FaceBox box) => new(box.Left, box.Top, box.Width, box.Height);

    public override string ToString() => FormattableString.Invariant($"[{X:F1}, {Y:F1}, {Width:F1}, {Height:F1}]");
}
