using Doppel.Media.Geometry;
using Doppel.Media.Imaging;

namespace Doppel.Forensics.SelfBlend;

/// <summary>
/// The sharpness changes self-blending makes to one copy, so the pasted face's texture differs
/// from its surroundings the way a generated face's does: softer (resampled down and back up)
/// or crisper (a 3x3 Laplacian boost).
/// </summary>
public static class Sharpness
{
    /// <summary>Area-averaged down by <paramref name="factor"/>, bilinear back to the original size.</summary>
    public static RgbImage DownUpScale(RgbImage image, double factor)
    {
        int w = Math.Max(2, (int)Math.Round(image.Width / factor)), h = Math.Max(2, (int)Math.Round(image.Height / factor));
        return ImageResize.Bilinear(ImageResize.Area(image, w, h), image.Width, image.Height);
    }

    /// <summary>out = x + amount * (4x - the four neighbours), edges replicated.</summary>
    public static RgbImage Sharpen(RgbImage image, double amount)
    {
        int w = image.Width, h = image.Height;
        var result = new RgbImage(w, h);
        byte[] s = image.Data, d = result.Data;
        float a = (float)amount;
        for (int y = 0; y < h; y++)
        {
            int up = Math.Max(0, y - 1), down = Math.Min(h - 1, y + 1);
            for (int x = 0; x < w; x++)
            {
                int left = Math.Max(0, x - 1), right = Math.Min(w - 1, x + 1);
                for (int c = 0; c < 3; c++)
                {
                    int i = (y * w + x) * 3 + c;
                    float centre = s[i];
                    float around = s[(up * w + x) * 3 + c] + s[(down * w + x) * 3 + c] + s[(y * w + left) * 3 + c] + s[(y * w + right) * 3 + c];
                    d[i] = ColorChange.ToByte((centre + a * (4 * centre - around)) / 255f);
                }
            }
        }
        return result;
    }
}
