namespace Doppel.Media.Files;

/// <summary>
/// How a photo's stored pixels are turned to show it upright: the EXIF/TIFF Orientation tag
/// (0x0112), values 1 to 8. Phones store a portrait photo as the sensor saw it, sideways, and
/// set this tag instead of turning the pixels. Each name says where the stored image's first
/// row and first column end up when displayed.
/// </summary>
public enum ImageOrientation
{
    /// <summary>1: stored upright.</summary>
    TopLeft = 1,

    /// <summary>2: mirrored left to right.</summary>
    TopRight = 2,

    /// <summary>3: turned half a turn.</summary>
    BottomRight = 3,

    /// <summary>4: mirrored top to bottom.</summary>
    BottomLeft = 4,

    /// <summary>5: transposed (mirrored about the top-left to bottom-right diagonal).</summary>
    LeftTop = 5,

    /// <summary>6: shown turned a quarter turn clockwise (a phone held upright, home button at the bottom).</summary>
    RightTop = 6,

    /// <summary>7: transversed (mirrored about the top-right to bottom-left diagonal).</summary>
    RightBottom = 7,

    /// <summary>8: shown turned a quarter turn anticlockwise.</summary>
    LeftBottom = 8,
}
