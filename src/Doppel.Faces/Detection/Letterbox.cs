using Doppel.Media.Geometry;
using Doppel.Media.Imaging;

namespace Doppel.Faces.Detection;

/// <summary>
/// Fits a frame into the detector's square input without distorting it, as MediaPipe's
/// ImageToTensor does with keep_aspect_ratio: the frame is scaled so its longer side fills the
/// square, centred, and the bands left over are black (-1 after scaling to [-1, 1]). BlazeFace
/// was trained on undistorted faces, so stretching a 4:3 frame to a square would cost
/// detections. Shrinking uses area averaging (bilinear would alias at 360 -> 128), and
/// <see cref="ToSource"/> maps the network's normalised coordinates back to frame pixels.
/// </summary>
internal sealed class Letterbox
{
    private const float Scale = 1f / 127.5f, Offset = -1f; // bytes 0..255 -> [-1, 1]

    private Letterbox(int size, int sourceWidth, int sourceHeight, int resizedWidth, int resizedHeight)
    {
        Size = size;
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        ResizedWidth = resizedWidth;
        ResizedHeight = resizedHeight;
        PadX = (size - resizedWidth) / 2;
        PadY = (size - resizedHeight) / 2;
    }

    public int Size { get; }
    public int SourceWidth { get; }
    public int SourceHeight { get; }
    public int ResizedWidth { get; }
    public int ResizedHeight { get; }
    public int PadX { get; }
    public int PadY { get; }

    public static Letterbox For(int sourceWidth, int sourceHeight, int size)
    {
        double scale = (double)size / Math.Max(sourceWidth, sourceHeight);
        int w = Math.Clamp((int)Math.Round(sourceWidth * scale), 1, size);
        int h = Math.Clamp((int)Math.Round(sourceHeight * scale), 1, size);
        return new Letterbox(size, sourceWidth, sourceHeight, w, h);
    }

    /// <summary>Writes the letterboxed frame as (S, S, 3) floats in [-1, 1] into <paramref name="input"/>.</summary>
    public void Fill(RgbImage image, Span<float> input)
    {
        if (image.Width != SourceWidth || image.Height != SourceHeight)
            throw new ArgumentException($"letterbox made for {SourceWidth}x{SourceHeight}, got {image}");
        if (input.Length != Size * Size * 3)
            throw new ArgumentException($"input has {input.Length} floats, expected {Size * Size * 3}");
        RgbImage resized = ResizedWidth == image.Width && ResizedHeight == image.Height
            ? image
            : ImageResize.Resize(image, ResizedWidth, ResizedHeight);
        input.Fill(Offset); // black bands
        int rowFloats = ResizedWidth * 3;
        for (int y = 0; y < ResizedHeight; y++)
        {
            Span<float> dst = input.Slice(((PadY + y) * Size + PadX) * 3, rowFloats);
            ReadOnlySpan<byte> src = resized.Row(y);
            for (int i = 0; i < rowFloats; i++) dst[i] = src[i] * Scale + Offset;
        }
    }

    /// <summary>Normalised input coordinates (0..1 across the square) to source pixels.</summary>
    public DetectionPoint ToSource(float u, float v) => new(
        (u * Size - PadX) * ((double)SourceWidth / ResizedWidth),
        (v * Size - PadY) * ((double)SourceHeight / ResizedHeight));
}
