using Doppel.Core;

namespace Doppel.Forensics.Model;

/// <summary>
/// The shape of a fake detector network, saved with its weights: input side in pixels, base
/// width (channels of the first stage; later stages double it) and how much of the input the
/// landmark face box spans (the aligned crop's face box at <see cref="FaceFraction"/> of the
/// side, so the blend boundary at the jaw and brows is inside the picture with a margin).
/// </summary>
public sealed record DetectorSpec
{
    public static DetectorSpec Default { get; } = new();

    public int InputSize { get; init; } = 64;
    public int Width { get; init; } = 24;
    public double FaceFraction { get; init; } = 0.8;

    /// <summary>The mask head predicts at a quarter of the input side.</summary>
    public int MaskSize => InputSize / 4;

    public void Validate()
    {
        if (InputSize is < 32 or > 512 || InputSize % 16 != 0)
            throw new DoppelException($"detector input size must be a multiple of 16 between 32 and 512, got {InputSize}", "use e.g. 64 or 96");
        if (Width is < 4 or > 256) throw new DoppelException($"detector width must be 4..256, got {Width}", "use e.g. 24");
        if (!(FaceFraction is > 0.3 and <= 1)) throw new DoppelException($"face fraction must be in (0.3, 1], got {FaceFraction}", "use e.g. 0.8");
    }
}
