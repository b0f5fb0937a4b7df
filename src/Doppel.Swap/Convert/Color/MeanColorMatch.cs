using Doppel.Media.Imaging;

namespace Doppel.Swap.Convert.Color;

/// <summary>Shifts each RGB channel so the swapped face's mean equals the original's: fixes an overall tint or brightness.</summary>
public sealed class MeanColorMatch : IColorMatcher
{
    public void Match(RgbImage swapped, RgbImage original, GrayImage mask)
    {
        if (MaskedStats.Count(mask) == 0) return;
        var target = MaskedStats.Planes(original);
        var planes = MaskedStats.Planes(swapped);
        var (want, _) = MaskedStats.Of(target, mask);
        var (have, _) = MaskedStats.Of(planes, mask);
        for (int c = 0; c < 3; c++)
        {
            float shift = (float)(want[c] - have[c]);
            var p = planes[c];
            for (int i = 0; i < p.Length; i++) p[i] += shift;
        }
        MaskedStats.Store(planes, swapped);
    }
}
