namespace Doppel.Media.Geometry;

/// <summary>What a warp samples where the source has no pixel.</summary>
public enum BorderMode
{
    /// <summary>A fixed fill value (black by default); edge pixels blend into it over one pixel.</summary>
    Constant,

    /// <summary>The nearest edge pixel, repeated: <c>aaa|abcd|ddd</c> (OpenCV BORDER_REPLICATE).</summary>
    Replicate,

    /// <summary>Mirrored about the outermost pixel centres, the edge not repeated: <c>dcb|abcd|cba</c>
    /// (OpenCV BORDER_REFLECT_101, its default). Continuous across the edge, so no seams.</summary>
    Reflect,
}
