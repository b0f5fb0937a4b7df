using Doppel.Media.Imaging;

namespace Doppel.Swap.Convert.Output;

/// <summary>
/// The source frame on the left and the converted one on the right, into another sink twice as
/// wide: the quickest way to judge a swap (and what the demo shows).
/// </summary>
public sealed class SideBySideSink(IFrameSink inner) : IFrameSink
{
    public string Path => inner.Path;
    public bool WantsSource => true;

    public void Write(RgbImage converted, RgbImage? source) =>
        inner.Write(Compose(source ?? throw new ArgumentNullException(nameof(source), "a side-by-side output needs the source frame"), converted), null);

    public void Complete() => inner.Complete();

    public void Dispose() => inner.Dispose();

    public static RgbImage Compose(RgbImage left, RgbImage right)
    {
        if (left.Width != right.Width || left.Height != right.Height)
            throw new ArgumentException($"side-by-side frames differ in size: {left.Width}x{left.Height} and {right.Width}x{right.Height}");
        int w = left.Width, h = left.Height;
        var both = new RgbImage(2 * w, h);
        for (int y = 0; y < h; y++)
        {
            left.Row(y).CopyTo(both.Row(y));
            right.Row(y).CopyTo(both.Row(y)[(3 * w)..]);
        }
        return both;
    }
}
