using Doppel.Datasets.Augmentation;

namespace Doppel.Swap.Identity;

/// <summary>
/// How the identity classifier is trained (stored in its checkpoint and compared on resume, so a
/// cached classifier is reused only when it was trained exactly this way). Augmentation moves,
/// tilts, mirrors, relights and blurs every face, and <see cref="MixFraction"/> of the examples
/// are pixel blends of an A and a B face labelled with their share of B (mixup, Zhang et al.
/// 2018): the classifier learns to answer "how much of B", so a half-and-half face comes out near
/// 0.5 instead of wherever its stronger features push it.
/// </summary>
public sealed record IdentityTrainSettings
{
    public int Width { get; init; } = 16;
    public int BatchSize { get; init; } = 32;
    public float LearningRate { get; init; } = 1e-3f;
    public float WeightDecay { get; init; } = 1e-3f;
    public int Iterations { get; init; } = 500;
    public ulong Seed { get; init; } = 1;

    /// <summary>Share of the examples that are A/B blends with soft labels.</summary>
    public double MixFraction { get; init; } = 0.25;

    /// <summary>Probability that an example is blurred, with sigma uniform in 0.3 .. <see cref="MaxBlurSigma"/> px at 64 px.</summary>
    public double BlurProbability { get; init; } = 0.5;
    public double MaxBlurSigma { get; init; } = 2.0;

    /// <summary>Pose and light variation of the real crops (no random warp: the classifier should see faces as they are).</summary>
    public AugmentOptions Augment { get; init; } = new()
    {
        RotationDegrees = 8, Zoom = 0.06, Shift = 0.04, FlipProbability = 0.5, WarpSigma = 0,
        Brightness = 0.1, Contrast = 0.25, ChannelGain = 0.15,
    };
}
