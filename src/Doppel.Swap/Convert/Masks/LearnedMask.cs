using Doppel.Core;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;

namespace Doppel.Swap.Convert.Masks;

/// <summary>
/// The blend mask as the model drew it (the decoder's mask branch, trained on the landmark hull),
/// instead of the hull of detected landmarks: it follows the face the decoder actually drew, and
/// does not jump with a landmark that jitters. The model's S px mask is upsampled bilinearly to
/// the converter's detail size, then eroded, feathered and tapered like the hull
/// (<see cref="HullMask.Refine"/>).
/// </summary>
public static class LearnedMask
{
    public const string Hull = "hull";
    public const string Learned = "learned";
    public static IReadOnlyList<string> Names { get; } = [Hull, Learned];

    /// <summary>Checks a --mask choice against the model: learned needs the mask branch.</summary>
    public static bool Resolve(string name, bool modelLearnsMask, string modelDir)
    {
        if (string.Equals(name, Hull, StringComparison.OrdinalIgnoreCase)) return false;
        if (!string.Equals(name, Learned, StringComparison.OrdinalIgnoreCase))
            throw new DoppelException($"unknown mask '{name}' for --mask", $"available: {string.Join(", ", Names)}");
        if (!modelLearnsMask)
            throw new DoppelException($"--mask learned needs a model trained with --learn-mask; the model in {modelDir} has no mask output",
                "use --mask hull (the default), or train a model with doppel train --learn-mask");
        return true;
    }

    /// <param name="mask">The model's mask, <c>S x S</c>.</param>
    public static GrayImage Render(GrayImage mask, int size, HullMask refine) =>
        refine.Refine(mask.Width == size ? mask : ImageResize.Bilinear(mask, size, size));
}
