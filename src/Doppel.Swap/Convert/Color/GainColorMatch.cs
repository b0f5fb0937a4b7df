using Doppel.Media.Imaging;

namespace Doppel.Swap.Convert.Color;

/// <summary>
/// Scales each RGB channel so the swapped face's mean equals the original's: a white-balance
/// correction (von Kries). <see cref="MeanColorMatch"/> adds the same amount to every pixel, so
/// when B's skin is much warmer than A's, the blue it adds turns B's dark eye sockets and nostrils
/// blue; a gain changes dark pixels little and bright ones more, so shadows stay shadows.
/// </summary>
public sealed class GainColorMatch : IColorMatcher
{
    // A channel whose mean is this dark carries too little to scale reliably (a black face region).
    private const double MinimumMean = 4;

    // A face lit very differently could ask for an extreme gain; beyond this the result is noise, not colour.
    private const double MaximumGain = 4;

    public void Match(RgbImage swapped, RgbImage original, GrayImage mask)
    {
        if (MaskedStats.Count(mask) == 0) return;
        var target = MaskedStats.Planes(original);
        var planes = MaskedStats.Planes(swapped);
        var (want, _) = MaskedStats.Of(target, mask);
        var (have, _) = MaskedStats.Of(planes, mask);
        for (int c = 0; c < 3; c++)
        {
            if (have[c] < MinimumMean) continue;
            float gain = (float)Math.Clamp(want[c] / have[c], 1 / MaximumGain, MaximumGain);
            var p = planes[c];
            for (int i = 0; i < p.Length; i++) p[i] *= gain;
        }
        MaskedStats.Store(planes, swapped);
    }
}
