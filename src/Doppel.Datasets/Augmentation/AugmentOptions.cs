namespace Doppel.Datasets.Augmentation;

/// <summary>
/// How strongly training faces are varied (models.md, "Augmentation"). Rotation, zoom, shift and
/// flip move input and target together (more poses for free); the random warp moves the input
/// only, which is what teaches a decoder to produce "a face like this" rather than a copy.
/// </summary>
public sealed record AugmentOptions
{
    /// <summary>Rotation is uniform in +-this many degrees.</summary>
    public double RotationDegrees { get; init; } = 10;

    /// <summary>Zoom is uniform in 1 +- this.</summary>
    public double Zoom { get; init; } = 0.05;

    /// <summary>Shift in each axis is uniform in +- this fraction of the input size.</summary>
    public double Shift { get; init; } = 0.05;

    public double FlipProbability { get; init; } = 0.5;

    /// <summary>Standard deviation of the 5x5 warp grid's offsets as a fraction of the input size
    /// (faceswap uses 5 px at 256 px, about 0.02).</summary>
    public double WarpSigma { get; init; } = 0.02;

    /// <summary>Brightness shift uniform in +- this (values are in [0, 1]).</summary>
    public double Brightness { get; init; } = 0.04;

    /// <summary>Contrast factor uniform in 1 +- this.</summary>
    public double Contrast { get; init; } = 0.08;

    /// <summary>Per-channel gain uniform in 1 +- this (a slight white-balance change).</summary>
    public double ChannelGain { get; init; } = 0.03;

    public static AugmentOptions Default { get; } = new();

    /// <summary>No variation at all: the input is the target, resampled only by coverage.</summary>
    public static AugmentOptions None { get; } = new()
    {
        RotationDegrees = 0, Zoom = 0, Shift = 0, FlipProbability = 0, WarpSigma = 0, Brightness = 0, Contrast = 0, ChannelGain = 0,
    };
}
