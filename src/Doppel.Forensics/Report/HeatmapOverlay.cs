using Doppel.Media.Geometry;
using Doppel.Media.Imaging;

namespace Doppel.Forensics.Report;

/// <summary>
/// The predicted blend boundary drawn over the face the detector saw: the heatmap (M x M,
/// 0..1) upsampled bilinearly to the picture and blended in red, strongest where the model
/// thinks the paste seam runs.
/// </summary>
public static class HeatmapOverlay
{
    public static RgbImage Draw(RgbImage picture, float[] heatmap)
    {
        int m = (int)Math.Round(Math.Sqrt(heatmap.Length));
        if (m * m != heatmap.Length) throw new ArgumentException($"a heatmap must be square, got {heatmap.Length} values", nameof(heatmap));
        var heat = new GrayImage(m, m);
        for (int i = 0; i < heatmap.Length; i++) heat.Data[i] = (byte)Math.Clamp(heatmap[i] * 255f + 0.5f, 0f, 255f);
        var up = ImageResize.Bilinear(heat, picture.Width, picture.Height);
        var result = picture.Clone();
        byte[] d = result.Data;
        for (int p = 0; p < up.Data.Length; p++)
        {
            float a = 0.7f * up.Data[p] / 255f;
            d[3 * p] = (byte)(d[3 * p] * (1 - a) + 255 * a + 0.5f);
            d[3 * p + 1] = (byte)(d[3 * p + 1] * (1 - a) + 0.5f);
            d[3 * p + 2] = (byte)(d[3 * p + 2] * (1 - a) + 0.5f);
        }
        return result;
    }
}
