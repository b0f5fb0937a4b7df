namespace Doppel.Swap.Benchmarks;

/// <summary>
/// How sharp faces are inside their mask: the variance of the Laplacian (the 4-neighbour
/// difference operator on luma, 0.299 R + 0.587 G + 0.114 B, values in [0, 1]) over the pixels
/// whose own mask value and all four neighbours' are above 0. Blur lowers it (a reconstruction
/// loss lets a decoder average away detail); the real crops of a person give the value to aim
/// for. The mean over faces is reported.
/// </summary>
public static class FaceSharpness
{
    /// <param name="faces">(N, S, S, 3) row-major.</param>
    /// <param name="masks">(N, S, S, 1), or empty for the whole image (borders excluded).</param>
    public static double LaplacianVariance(ReadOnlySpan<float> faces, ReadOnlySpan<float> masks, int size)
    {
        int pixels = size * size, n = faces.Length / (3 * pixels);
        if (n == 0 || faces.Length != n * 3 * pixels) throw new ArgumentException($"{faces.Length} values are not whole {size}x{size} RGB faces");
        if (!masks.IsEmpty && masks.Length != n * pixels) throw new ArgumentException($"{masks.Length} mask values for {n} faces of {size}x{size}");
        var luma = new double[pixels];
        double total = 0;
        int counted = 0;
        for (int f = 0; f < n; f++)
        {
            var face = faces.Slice(f * 3 * pixels, 3 * pixels);
            var mask = masks.IsEmpty ? ReadOnlySpan<float>.Empty : masks.Slice(f * pixels, pixels);
            for (int i = 0; i < pixels; i++) luma[i] = 0.299 * face[3 * i] + 0.587 * face[3 * i + 1] + 0.114 * face[3 * i + 2];
            double sum = 0, sumSq = 0;
            int count = 0;
            for (int y = 1; y < size - 1; y++)
                for (int x = 1; x < size - 1; x++)
                {
                    int i = y * size + x;
                    if (!mask.IsEmpty && !(mask[i] > 0 && mask[i - 1] > 0 && mask[i + 1] > 0 && mask[i - size] > 0 && mask[i + size] > 0)) continue;
                    double lap = luma[i - 1] + luma[i + 1] + luma[i - size] + luma[i + size] - 4 * luma[i];
                    sum += lap;
                    sumSq += lap * lap;
                    count++;
                }
            if (count < 2) continue;
            double mean = sum / count;
            total += sumSq / count - mean * mean;
            counted++;
        }
        return counted == 0 ? double.NaN : total / counted;
    }
}
