namespace Doppel.Forensics.SelfBlend;

/// <summary>
/// Colour changes in the spirit of albumentations' RGBShift, HueSaturationValue and
/// RandomBrightnessContrast, which the self-blending paper uses: each is applied with its
/// probability, amounts drawn uniformly within +-limit (0..1 colour scale; hue in turns).
/// </summary>
public sealed record ColorJitterOptions
{
    public static ColorJitterOptions Off { get; } = new() { RgbShiftProbability = 0, HsvProbability = 0, BrightnessContrastProbability = 0 };

    public double RgbShiftProbability { get; init; }
    public double RgbShiftLimit { get; init; } = 20 / 255.0;

    public double HsvProbability { get; init; }
    public double HueLimit { get; init; } = 0.05;
    public double SaturationLimit { get; init; } = 0.12;
    public double ValueLimit { get; init; } = 0.08;

    public double BrightnessContrastProbability { get; init; }
    public double BrightnessLimit { get; init; } = 0.1;
    public double ContrastLimit { get; init; } = 0.1;
}
