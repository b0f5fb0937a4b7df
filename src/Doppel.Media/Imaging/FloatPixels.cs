namespace Doppel.Media.Imaging;

/// <summary>
/// Moves 8-bit RGB frames into and out of float buffers for networks. Each value becomes
/// <c>byte * scale + offset</c> (e.g. scale 1/127.5, offset -1 for [-1, 1]; scale 1/255,
/// offset 0 for [0, 1]); the reverse rounds and clamps to 0..255.
/// Interleaved is (H, W, 3), what NHWC models such as BlazeFace take; planar is (3, H, W),
/// what NCHW tools (PyTorch) use; Doppel's tensors are NHWC.
/// </summary>
public static class FloatPixels
{
    public static void ToInterleaved(RgbImage image, Span<float> destination, float scale, float offset)
    {
        byte[] src = image.Data;
        if (destination.Length != src.Length)
            throw new ArgumentException($"destination has {destination.Length} floats, image {src.Length} values");
        for (int i = 0; i < src.Length; i++)
            destination[i] = src[i] * scale + offset;
    }

    public static void ToPlanar(RgbImage image, Span<float> destination, float scale, float offset)
    {
        byte[] src = image.Data;
        int plane = image.Width * image.Height;
        if (destination.Length != src.Length)
            throw new ArgumentException($"destination has {destination.Length} floats, image {src.Length} values");
        Span<float> r = destination[..plane], g = destination.Slice(plane, plane), b = destination.Slice(2 * plane, plane);
        for (int p = 0, i = 0; p < plane; p++, i += 3)
        {
            r[p] = src[i] * scale + offset;
            g[p] = src[i + 1] * scale + offset;
            b[p] = src[i + 2] * scale + offset;
        }
    }

    /// <summary>The inverse of <see cref="ToInterleaved"/>: <c>byte = round((value - offset) / scale)</c>, clamped.</summary>
    public static RgbImage FromInterleaved(ReadOnlySpan<float> source, int width, int height, float scale, float offset)
    {
        var image = new RgbImage(width, height);
        byte[] dst = image.Data;
        if (source.Length != dst.Length)
            throw new ArgumentException($"source has {source.Length} floats, {width}x{height} RGB needs {dst.Length}");
        float inverse = 1f / scale;
        for (int i = 0; i < dst.Length; i++)
            dst[i] = ToByte((source[i] - offset) * inverse);
        return image;
    }

    /// <summary>The inverse of <see cref="ToPlanar"/>.</summary>
    public static RgbImage FromPlanar(ReadOnlySpan<float> source, int width, int height, float scale, float offset)
    {
        var image = new RgbImage(width, height);
        byte[] dst = image.Data;
        int plane = width * height;
        if (source.Length != dst.Length)
            throw new ArgumentException($"source has {source.Length} floats, {width}x{height} RGB needs {dst.Length}");
        float inverse = 1f / scale;
        for (int p = 0, i = 0; p < plane; p++, i += 3)
        {
            dst[i] = ToByte((source[p] - offset) * inverse);
            dst[i + 1] = ToByte((source[plane + p] - offset) * inverse);
            dst[i + 2] = ToByte((source[2 * plane + p] - offset) * inverse);
        }
        return image;
    }

    // NaN maps to 0 (the comparison fails), infinities clamp.
    private static byte ToByte(float v) => v >= 0f ? (v <= 255f ? (byte)(v + 0.5f) : (byte)255) : (byte)0;
}
