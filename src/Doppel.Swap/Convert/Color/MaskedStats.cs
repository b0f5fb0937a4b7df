using Doppel.Media.Imaging;

namespace Doppel.Swap.Convert.Color;

/// <summary>Per-channel mean and standard deviation over the masked pixels of three-channel float planes.</summary>
internal static class MaskedStats
{
    public const byte Threshold = 128;

    public static (double[] Mean, double[] Std) Of(float[][] planes, GrayImage mask)
    {
        var mean = new double[3];
        var std = new double[3];
        int n = 0;
        for (int i = 0; i < mask.Data.Length; i++)
        {
            if (mask.Data[i] < Threshold) continue;
            n++;
            for (int c = 0; c < 3; c++) mean[c] += planes[c][i];
        }
        if (n == 0) return (mean, [1, 1, 1]);
        for (int c = 0; c < 3; c++) mean[c] /= n;
        for (int i = 0; i < mask.Data.Length; i++)
        {
            if (mask.Data[i] < Threshold) continue;
            for (int c = 0; c < 3; c++) std[c] += Math.Pow(planes[c][i] - mean[c], 2);
        }
        for (int c = 0; c < 3; c++) std[c] = Math.Sqrt(std[c] / n);
        return (mean, std);
    }

    public static int Count(GrayImage mask)
    {
        int n = 0;
        foreach (byte v in mask.Data) if (v >= Threshold) n++;
        return n;
    }

    /// <summary>The image as three float planes of R, G, B in 0..255.</summary>
    public static float[][] Planes(RgbImage image)
    {
        int n = image.Width * image.Height;
        float[][] planes = [new float[n], new float[n], new float[n]];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < 3; c++) planes[c][i] = image.Data[i * 3 + c];
        return planes;
    }

    public static void Store(float[][] planes, RgbImage image)
    {
        int n = image.Width * image.Height;
        for (int i = 0; i < n; i++)
            for (int c = 0; c < 3; c++) image.Data[i * 3 + c] = (byte)Math.Clamp(MathF.Round(planes[c][i]), 0, 255);
    }
}
