namespace Doppel.Swap.Convert.Color;

/// <summary>
/// sRGB (0..255) to CIE L*a*b* (D65) and back, on float planes in place. Lab separates lightness
/// from the two colour axes and is roughly perceptually uniform, which is what makes a per-axis
/// mean/std transfer (Reinhard et al. 2001) look natural.
/// </summary>
internal static class LabColor
{
    private const float Xn = 0.95047f, Zn = 1.08883f;

    public static void ToLab(float[][] p)
    {
        for (int i = 0; i < p[0].Length; i++)
        {
            float r = Linear(p[0][i] / 255f), g = Linear(p[1][i] / 255f), b = Linear(p[2][i] / 255f);
            float x = (0.4124564f * r + 0.3575761f * g + 0.1804375f * b) / Xn;
            float y = 0.2126729f * r + 0.7151522f * g + 0.0721750f * b;
            float z = (0.0193339f * r + 0.1191920f * g + 0.9503041f * b) / Zn;
            float fx = F(x), fy = F(y), fz = F(z);
            p[0][i] = 116 * fy - 16;
            p[1][i] = 500 * (fx - fy);
            p[2][i] = 200 * (fy - fz);
        }
    }

    public static void ToRgb(float[][] p)
    {
        for (int i = 0; i < p[0].Length; i++)
        {
            float fy = (p[0][i] + 16) / 116, fx = fy + p[1][i] / 500, fz = fy - p[2][i] / 200;
            float x = FInverse(fx) * Xn, y = FInverse(fy), z = FInverse(fz) * Zn;
            float r = 3.2404542f * x - 1.5371385f * y - 0.4985314f * z;
            float g = -0.9692660f * x + 1.8760108f * y + 0.0415560f * z;
            float b = 0.0556434f * x - 0.2040259f * y + 1.0572252f * z;
            p[0][i] = Gamma(r) * 255;
            p[1][i] = Gamma(g) * 255;
            p[2][i] = Gamma(b) * 255;
        }
    }

    private static float Linear(float c) => c <= 0.04045f ? c / 12.92f : MathF.Pow((c + 0.055f) / 1.055f, 2.4f);

    private static float Gamma(float c)
    {
        c = Math.Clamp(c, 0, 1);
        return c <= 0.0031308f ? 12.92f * c : 1.055f * MathF.Pow(c, 1 / 2.4f) - 0.055f;
    }

    private static float F(float t) => t > 0.008856452f ? MathF.Cbrt(t) : t / 0.12841855f + 4f / 29;

    private static float FInverse(float t) => t > 6f / 29 ? t * t * t : 0.12841855f * (t - 4f / 29);
}
