using Doppel.Media.Imaging;

namespace Doppel.Swap.Convert.Color;

/// <summary>
/// Reinhard colour transfer: in Lab, each axis of the swapped face is standardised and given the
/// original face's mean and standard deviation, so contrast as well as tint follows the frame.
/// The std ratio is clamped: a near-flat channel (a dark frame) would otherwise blow noise up.
/// </summary>
public sealed class ReinhardColorMatch : IColorMatcher
{
    public void Match(RgbImage swapped, RgbImage original, GrayImage mask)
    {
        if (MaskedStats.Count(mask) == 0) return;
        var target = MaskedStats.Planes(original);
        var planes = MaskedStats.Planes(swapped);
        LabColor.ToLab(target);
        LabColor.ToLab(planes);
        var (wantMean, wantStd) = MaskedStats.Of(target, mask);
        var (haveMean, haveStd) = MaskedStats.Of(planes, mask);
        for (int c = 0; c < 3; c++)
        {
            float ratio = (float)Math.Clamp(wantStd[c] / Math.Max(haveStd[c], 1e-3), 0.25, 4);
            float from = (float)haveMean[c], to = (float)wantMean[c];
            var p = planes[c];
            for (int i = 0; i < p.Length; i++) p[i] = (p[i] - from) * ratio + to;
        }
        LabColor.ToRgb(planes);
        MaskedStats.Store(planes, swapped);
    }
}
