using System.Numerics;
using System.Runtime.CompilerServices;

namespace Doppel.Faces.Landmarks;

/// <summary>
/// Maps the normalised face frame to image pixels (the box's top-left to (0, 0), its
/// bottom-right to (1, 1)) and reads a pixel's intensity there with dlib's rules: round to
/// the nearest pixel (floor(v + 0.5)), 0 outside the image, and for RGB the integer mean
/// (r + g + b) / 3 that dlib's rgb-to-grayscale assignment uses.
/// </summary>
internal readonly ref struct FeaturePixelSampler
{
    private readonly ReadOnlySpan<byte> _pixels;
    private readonly int _width, _height, _channels;
    private readonly double _left, _top, _scaleX, _scaleY;

    public FeaturePixelSampler(in LandmarkImage image, FaceBox box)
    {
        _pixels = image.Pixels.Span;
        _width = image.Width;
        _height = image.Height;
        _channels = image.Channels;
        _left = box.Left;
        _top = box.Top;
        // dlib's corner-to-corner map spans Right - Left, not the inclusive width.
        _scaleX = box.Right - box.Left;
        _scaleY = box.Bottom - box.Top;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Intensity(float x, float y)
    {
        // dlib converts its double image position to an integer point by rounding half up.
        double px = Math.Floor(_left + _scaleX * x + 0.5);
        double py = Math.Floor(_top + _scaleY * y + 0.5);
        // Written so NaN (from a degenerate box) also counts as outside.
        if (!(px >= 0 && py >= 0 && px < _width && py < _height)) return 0f;
        int offset = ((int)py * _width + (int)px) * _channels;
        if (_channels == 1) return _pixels[offset];
        return (_pixels[offset] + _pixels[offset + 1] + _pixels[offset + 2]) / 3;
    }

    public Vector2 ToImage(float x, float y) =>
        new((float)(_left + _scaleX * x), (float)(_top + _scaleY * y));
}
