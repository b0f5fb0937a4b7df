using Doppel.Tensors.Nn;

namespace Doppel.Datasets.Augmentation;

/// <summary>
/// A light change of brightness, contrast and white balance, the same for input and target, so
/// the model sees each person in slightly different light (the two videos of a swap rarely match).
/// </summary>
public static class ColorJitter
{
    public static void Apply(Span<float> rgb, Rng rng, AugmentOptions options)
    {
        if (options.Brightness <= 0 && options.Contrast <= 0 && options.ChannelGain <= 0) return;
        float brightness = Uniform(rng, options.Brightness);
        float contrast = 1f + Uniform(rng, options.Contrast);
        Span<float> gain = [1f + Uniform(rng, options.ChannelGain), 1f + Uniform(rng, options.ChannelGain), 1f + Uniform(rng, options.ChannelGain)];
        // Contrast about mid-grey keeps the mean brightness where brightness puts it.
        for (int i = 0; i < rgb.Length; i++)
            rgb[i] = Math.Clamp(((rgb[i] - 0.5f) * contrast + 0.5f + brightness) * gain[i % 3], 0f, 1f);
    }

    private static float Uniform(Rng rng, double amplitude) => amplitude <= 0 ? 0f : (float)((rng.NextDouble() * 2 - 1) * amplitude);
}
