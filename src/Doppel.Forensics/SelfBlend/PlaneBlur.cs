using Doppel.Tensors;

namespace Doppel.Forensics.SelfBlend;

/// <summary>
/// A separable Gaussian blur of one float plane with replicated edges (the weights are the
/// engine's <see cref="Ops.GaussianKernel"/>; the autograd op works on valid regions of tensors,
/// which a mask does not want). Sigma below a tenth of a pixel leaves the plane as it is.
/// </summary>
public static class PlaneBlur
{
    public static void Apply(float[] plane, int width, int height, double sigma)
    {
        if (sigma < 0.1) return;
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        float[] k = Ops.GaussianKernel(2 * radius + 1, (float)sigma);
        var tmp = new float[plane.Length];
        for (int y = 0; y < height; y++)
        {
            int row = y * width;
            for (int x = 0; x < width; x++)
            {
                float sum = 0;
                for (int j = -radius; j <= radius; j++) sum += k[j + radius] * plane[row + Math.Clamp(x + j, 0, width - 1)];
                tmp[row + x] = sum;
            }
        }
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                float sum = 0;
                for (int j = -radius; j <= radius; j++) sum += k[j + radius] * tmp[Math.Clamp(y + j, 0, height - 1) * width + x];
                plane[y * width + x] = sum;
            }
    }
}
