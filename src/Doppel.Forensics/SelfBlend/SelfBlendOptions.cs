namespace Doppel.Forensics.SelfBlend;

/// <summary>
/// The knobs of self-blending (Shiohara &amp; Yamasaki, CVPR 2022), with their defaults scaled to
/// a face that fills most of a 96-128 px crop. Fractions of the image side unless said otherwise;
/// colour amounts are on the 0..1 scale. <see cref="None"/> switches every random change off
/// except the blend itself (tests check the arithmetic with it).
/// </summary>
public sealed record SelfBlendOptions
{
    public static SelfBlendOptions Default { get; } = new();

    /// <summary>The changes made to one copy (source or target, at random).</summary>
    public ColorJitterOptions CopyColor { get; init; } = new() { RgbShiftProbability = 0.3, HsvProbability = 0.3, BrightnessContrastProbability = 1 };

    /// <summary>Probability that the changed copy is also blurred by a down-and-up-scale; otherwise it is sharpened.</summary>
    public double DownUpScaleProbability { get; init; } = 0.5;

    /// <summary>Down-and-up-scale factor range (2 = half size and back).</summary>
    public double MinDownscale { get; init; } = 1.5;
    public double MaxDownscale { get; init; } = 3;

    /// <summary>Sharpen strength range (0 = unchanged; 1 = the full 3x3 Laplacian boost).</summary>
    public double MinSharpen { get; init; } = 0.2;
    public double MaxSharpen { get; init; } = 0.5;

    /// <summary>
    /// Probability that a fake is a decoder-like paste (<see cref="DecoderLikePaste"/>): the
    /// changed copy is always the source, and instead of the sharpen-or-soften choice it is drawn
    /// at a lower resolution, down by a factor in [MinDecoderDownscale, MaxDecoderDownscale] and
    /// back, so the pasted face is softer than everything around it, as a swap model's face is.
    /// 0 (the default) keeps the paper's recipe; <c>doppel detect train --decoder-paste</c> sets it.
    /// </summary>
    public double DecoderPasteProbability { get; init; }

    public double MinDecoderDownscale { get; init; } = 2;
    public double MaxDecoderDownscale { get; init; } = 4;

    /// <summary>The share of decoder-like copies whose contrast is restored after the down-and-up-scale (<see cref="DecoderLikePaste.RestoreContrast"/>): soft, but not flat.</summary>
    public double DecoderContrastProbability { get; init; }

    /// <summary>Within a decoder-like paste, the probability that the copy is coloured to fit the target by one of <see cref="DecoderColorMatches"/>.</summary>
    public double DecoderColorMatchProbability { get; init; } = 0.5;

    /// <summary>
    /// The ways a colour-fitted decoder-like copy is fitted, one drawn uniformly per fake (the
    /// draw is skipped when there is one, so recipes with only the mean keep their random sequence).
    /// </summary>
    public IReadOnlyList<DecoderColorMatch> DecoderColorMatches { get; init; } = [DecoderColorMatch.Mean];

    /// <summary>
    /// Probability that the face is first turned, scaled and shifted a little (<see cref="PoseJitter"/>),
    /// real and fake alike. 0 (the default) keeps the recipes made before it; <c>doppel detect train --pose-jitter</c> sets it.
    /// </summary>
    public double PoseJitterProbability { get; init; }

    public double PoseMaxDegrees { get; init; } = 12;
    public double PoseScale { get; init; } = 0.1;
    public double PoseShift { get; init; } = 0.05;

    /// <summary>Whether the copy is changed in colour and sharpness at all (off only in tests).</summary>
    public bool ChangeCopy { get; init; } = true;

    /// <summary>Shift of the source by up to this fraction of the side (x); y gets half of it.</summary>
    public double Shift { get; init; } = 0.03;

    /// <summary>Scale of the source about the centre, from 1 - Scale to 1 + Scale.</summary>
    public double Scale { get; init; } = 0.05;

    /// <summary>The landmark hull grown (or shrunk) about its centre by a factor in this range.</summary>
    public double MinHullGrowth { get; init; } = 0.92;
    public double MaxHullGrowth { get; init; } = 1.06;

    /// <summary>Elastic deformation of the mask: Gaussian control-point offsets of this sigma (fraction of the side).</summary>
    public double ElasticSigma { get; init; } = 0.015;

    /// <summary>The two blurs of the mask draw their sigma from this range (fraction of the side).</summary>
    public double MinBlur { get; init; } = 0.008;
    public double MaxBlur { get; init; } = 0.035;

    /// <summary>Blend ratios, one drawn per fake: fake = r m source + (1 - r m) target.</summary>
    public IReadOnlyList<float> Ratios { get; init; } = [0.25f, 0.5f, 0.75f, 1f, 1f, 1f];

    /// <summary>
    /// What real and fake both get afterwards, with the same random draws. Wider than the paper's:
    /// with few people and cameras to learn from, a face's own colours must not be what tells a fake.
    /// </summary>
    public ColorJitterOptions PairColor { get; init; } = new()
    {
        RgbShiftProbability = 0.3, HsvProbability = 0.5, HueLimit = 0.1, SaturationLimit = 0.3, ValueLimit = 0.1,
        BrightnessContrastProbability = 0.5, BrightnessLimit = 0.15, ContrastLimit = 0.2,
    };

    /// <summary>
    /// Probability that real and fake are both seen at a lower resolution (down by a factor in
    /// [MinPairDownscale, MaxPairDownscale] and back): a smaller face or a softer camera than the
    /// training videos', so that overall sharpness is not what tells a real from a fake.
    /// </summary>
    public double PairDownUpScaleProbability { get; init; } = 0.3;

    public double MinPairDownscale { get; init; } = 1.2;
    public double MaxPairDownscale { get; init; } = 2.5;

    /// <summary>
    /// Probability (when the pair was not made softer) that both are sharpened by the same
    /// amount in [MinSharpen, MaxSharpen]: a crisper camera than the training videos', so that a
    /// sharp face is not by itself a sign of a pasted, sharpened copy.
    /// </summary>
    public double PairSharpenProbability { get; init; } = 0.25;

    /// <summary>Probability of sensor-like Gaussian noise, the same pattern on real and fake, sigma up to <see cref="MaxPairNoise"/> (0..1 scale).</summary>
    public double PairNoiseProbability { get; init; } = 0.2;

    public double MaxPairNoise { get; init; } = 0.02;

    /// <summary>Probability of a JPEG round trip (the same quality on real and fake).</summary>
    public double JpegProbability { get; init; } = 0.5;

    public int MinJpegQuality { get; init; } = 40;
    public int MaxJpegQuality { get; init; } = 100;

    /// <summary>Horizontal flip of the pair (both, with the mask).</summary>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary>Only the blend: no copy changes, no shift or scale, no elastic deformation, no pair jitter, JPEG or flip.</summary>
    public static SelfBlendOptions None { get; } = new()
    {
        ChangeCopy = false, Shift = 0, Scale = 0, MinHullGrowth = 1, MaxHullGrowth = 1, ElasticSigma = 0,
        PairColor = ColorJitterOptions.Off, PairDownUpScaleProbability = 0, PairSharpenProbability = 0, PairNoiseProbability = 0, JpegProbability = 0, FlipProbability = 0,
    };
}
