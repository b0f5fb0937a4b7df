using Doppel.Media.Imaging;

namespace Doppel.Swap.Convert.Color;

/// <summary>
/// Histogram matching per RGB channel: each swapped value goes to the original value at the same
/// rank (cumulative fraction) inside the mask. Matches the whole distribution, not only its first
/// two moments, at the price of exaggerating noise when the face region is small.
/// </summary>
public sealed class HistogramColorMatch : IColorMatcher
{
    public void Match(RgbImage swapped, RgbImage original, GrayImage mask)
    {
        if (MaskedStats.Count(mask) == 0) return;
        var lut = new byte[3][];
        for (int c = 0; c < 3; c++) lut[c] = Lookup(Cdf(swapped, mask, c), Cdf(original, mask, c));
        var data = swapped.Data;
        for (int i = 0; i < data.Length; i++) data[i] = lut[i % 3][data[i]];
    }

    private static double[] Cdf(RgbImage image, GrayImage mask, int channel)
    {
        var counts = new double[256];
        double total = 0;
        for (int i = 0; i < mask.Data.Length; i++)
        {
            if (mask.Data[i] < MaskedStats.Threshold) continue;
            counts[image.Data[i * 3 + channel]]++;
            total++;
        }
        double run = 0;
        for (int v = 0; v < 256; v++) counts[v] = (run += counts[v]) / total;
        return counts;
    }

    // For each source level, the first target level whose cumulative fraction reaches the source's.
    private static byte[] Lookup(double[] source, double[] target)
    {
        var lut = new byte[256];
        int t = 0;
        for (int v = 0; v < 256; v++)
        {
            while (t < 255 && target[t] < source[v] - 1e-12) t++;
            lut[v] = (byte)t;
        }
        return lut;
    }
}
