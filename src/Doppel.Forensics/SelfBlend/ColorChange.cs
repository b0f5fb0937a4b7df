using Doppel.Media.Imaging;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.SelfBlend;

/// <summary>
/// One drawn set of colour changes (<see cref="ColorJitterOptions"/>), kept as numbers so the
/// same change can be applied to several images: self-blending gives a real face and its fake
/// the same jitter, so colour alone never tells them apart.
/// </summary>
public sealed class ColorChange
{
    private float[]? _shift;            // per channel, added
    private (float H, float S, float V)? _hsv;
    private (float Brightness, float Contrast)? _bc;

    public static ColorChange Draw(ColorJitterOptions o, Rng rng)
    {
        var c = new ColorChange();
        if (Chance(rng, o.RgbShiftProbability))
            c._shift = [Uniform(rng, o.RgbShiftLimit), Uniform(rng, o.RgbShiftLimit), Uniform(rng, o.RgbShiftLimit)];
        if (Chance(rng, o.HsvProbability))
            c._hsv = (Uniform(rng, o.HueLimit), Uniform(rng, o.SaturationLimit), Uniform(rng, o.ValueLimit));
        if (Chance(rng, o.BrightnessContrastProbability))
            c._bc = (Uniform(rng, o.BrightnessLimit), Uniform(rng, o.ContrastLimit));
        return c;
    }

    public bool IsIdentity => _shift is null && _hsv is null && _bc is null;

    /// <summary>Changes <paramref name="image"/> in place (values rounded back to bytes once, at the end).</summary>
    public void Apply(RgbImage image)
    {
        if (IsIdentity) return;
        byte[] d = image.Data;
        for (int i = 0; i < d.Length; i += 3)
        {
            float r = d[i] / 255f, g = d[i + 1] / 255f, b = d[i + 2] / 255f;
            if (_shift is { } s) { r += s[0]; g += s[1]; b += s[2]; }
            if (_hsv is { } h) ShiftHsv(ref r, ref g, ref b, h.H, h.S, h.V);
            if (_bc is { } bc)
            {
                // albumentations: x * (1 + contrast) + brightness (on the 0..1 scale).
                float k = 1 + bc.Contrast;
                r = r * k + bc.Brightness; g = g * k + bc.Brightness; b = b * k + bc.Brightness;
            }
            d[i] = ToByte(r); d[i + 1] = ToByte(g); d[i + 2] = ToByte(b);
        }
    }

    /// <summary>Hue rotated by <paramref name="dh"/> turns, saturation and value shifted, in HSV (hexcone).</summary>
    private static void ShiftHsv(ref float r, ref float g, ref float b, float dh, float ds, float dv)
    {
        r = Math.Clamp(r, 0, 1); g = Math.Clamp(g, 0, 1); b = Math.Clamp(b, 0, 1);
        float max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b)), delta = max - min;
        float h = 0;
        if (delta > 0)
        {
            if (max == r) h = (g - b) / delta / 6f;
            else if (max == g) h = ((b - r) / delta + 2) / 6f;
            else h = ((r - g) / delta + 4) / 6f;
        }
        float s = max > 0 ? delta / max : 0, v = max;
        h += dh; h -= MathF.Floor(h);
        s = Math.Clamp(s + ds, 0, 1);
        v = Math.Clamp(v + dv, 0, 1);
        float sector = h * 6, f = sector - MathF.Floor(sector);
        float p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        switch ((int)MathF.Floor(sector) % 6)
        {
            case 0: r = v; g = t; b = p; break;
            case 1: r = q; g = v; b = p; break;
            case 2: r = p; g = v; b = t; break;
            case 3: r = p; g = q; b = v; break;
            case 4: r = t; g = p; b = v; break;
            default: r = v; g = p; b = q; break;
        }
    }

    internal static byte ToByte(float v) => v >= 0f ? (v <= 1f ? (byte)(v * 255f + 0.5f) : (byte)255) : (byte)0;

    private static bool Chance(Rng rng, double p) => p > 0 && rng.NextDouble() < p;

    private static float Uniform(Rng rng, double limit) => (float)((rng.NextDouble() * 2 - 1) * limit);
}
