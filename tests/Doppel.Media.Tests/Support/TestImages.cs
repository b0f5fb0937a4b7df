using Doppel.Media.Imaging;

namespace Doppel.Media.Tests.Support;

public static class TestImages
{
    /// <summary>Noise with a fixed seed: no filter predicts it well, so every filter path is exercised.</summary>
    public static RgbImage Noise(int width, int height, int seed = 1)
    {
        var image = new RgbImage(width, height);
        new Random(seed).NextBytes(image.Data);
        return image;
    }

    /// <summary>Smooth gradients plus a little noise: what photos look like to a PNG filter.</summary>
    public static RgbImage Photo(int width, int height, int seed = 1)
    {
        var random = new Random(seed);
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image.SetPixel(x, y, (byte)(x * 255 / Math.Max(1, width - 1)), (byte)(y * 255 / Math.Max(1, height - 1)),
                    (byte)Math.Clamp(128 + random.Next(-8, 9), 0, 255));
        return image;
    }

    /// <summary>Largest absolute per-channel difference.</summary>
    public static int MaxDifference(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        int max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}
