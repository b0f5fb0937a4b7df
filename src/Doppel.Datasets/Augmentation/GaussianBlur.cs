namespace Doppel.Datasets.Augmentation;

/// <summary>
/// A Gaussian blur of an interleaved size x size x channels float image, in place: a row pass
/// then a column pass of the sampled, normalised kernel (radius 3 sigma), edges replicated, so a
/// flat image stays flat. For augmentation and robustness checks (a face drawn by a swap model is
/// softer than a camera's) and for masks (self-blending's soft paste mask), not a differentiable op:
/// the tensor op is Ops.GaussianBlur.
/// </summary>
public static class GaussianBlur
{
    public static void Apply(Span<float> image, int size, int channels, double sigma)
    {
        if (image.Length != size * size * channels) throw new ArgumentException("the image must be size x size x channels", nameof(image));
        if (!(sigma > 0)) return;
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) sum += kernel[i + radius] = (float)Math.Exp(-i * i / (2 * sigma * sigma));
        for (int i = 0; i < kernel.Length; i++) kernel[i] = (float)(kernel[i] / sum);

        var line = new float[size * channels];
        for (int y = 0; y < size; y++) Pass(image, y * size * channels, channels, size, channels, kernel, line);          // rows
        for (int x = 0; x < size; x++) Pass(image, x * channels, size * channels, size, channels, kernel, line);          // columns
    }

    // One line of `n` pixels starting at `start`, pixels `step` floats apart, filtered into place.
    private static void Pass(Span<float> image, int start, int step, int n, int channels, float[] kernel, float[] line)
    {
        int radius = kernel.Length / 2;
        for (int i = 0; i < n; i++)
            for (int c = 0; c < channels; c++) line[i * channels + c] = image[start + i * step + c];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < channels; c++)
            {
                float v = 0;
                for (int k = -radius; k <= radius; k++) v += kernel[k + radius] * line[Math.Clamp(i + k, 0, n - 1) * channels + c];
                image[start + i * step + c] = v;
            }
    }
}
