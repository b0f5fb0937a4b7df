namespace Doppel.Faces.Landmarks;

/// <summary>
/// A face rectangle in dlib's convention: <see cref="Right"/> and <see cref="Bottom"/> are the
/// last pixel column and row inside the box, so a box from (10, 20) of 100x100 pixels is
/// (10, 20, 109, 119). The predictor maps (Left, Top) to (0, 0) and (Right, Bottom) to (1, 1)
/// of its normalised face frame. Fractional coordinates are allowed (e.g. boxes from
/// BlazeFace); dlib's own detectors produce whole numbers.
/// </summary>
public readonly record struct FaceBox(double Left, double Top, double Right, double Bottom)
{
    /// <summary>A box from its top-left corner and size in pixels.</summary>
    public static FaceBox FromXywh(double x, double y, double width, double height) =>
        new(x, y, x + width - 1, y + height - 1);

    public double Width => Right - Left + 1;
    public double Height => Bottom - Top + 1;
}
