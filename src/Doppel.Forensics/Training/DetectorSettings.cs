using Doppel.Core;
using Doppel.Forensics.Model;

namespace Doppel.Forensics.Training;

/// <summary>Everything that decides what <c>doppel detect train</c> computes; saved in the checkpoint and compared on resume.</summary>
public sealed record DetectorSettings
{
    public DetectorSpec Spec { get; init; } = DetectorSpec.Default;

    /// <summary>Real faces per batch; each brings its self-blended fake, so a batch holds twice as many images.</summary>
    public int Batch { get; init; } = 16;

    public float LearningRate { get; init; } = 1e-3f;
    public float WeightDecay { get; init; } = 1e-4f;
    public ulong Seed { get; init; } = 1;

    /// <summary>Weight of the blend-boundary loss beside the score loss.</summary>
    public float MaskWeight { get; init; } = 1f;

    /// <summary>Share of batches whose images all go through an H.264 round trip at a CRF drawn from [MinCrf, MaxCrf].</summary>
    public double H264Probability { get; init; } = 0.3;

    public int MinCrf { get; init; } = 18;
    public int MaxCrf { get; init; } = 32;

    /// <summary>With --fake sets: the share of fake slots filled by them instead of a self-blend.</summary>
    public double RealFakeShare { get; init; } = 0.5;

    /// <summary>
    /// The share of self-blends that are decoder-like pastes (<see cref="SelfBlend.DecoderLikePaste"/>):
    /// the pasted copy drawn at a lower resolution than the face around it, as a swap model's face is.
    /// </summary>
    public double DecoderPaste { get; init; }

    /// <summary>How colour-fitted decoder-like copies are fitted, one drawn per fake (half of them are fitted at all).</summary>
    public IReadOnlyList<SelfBlend.DecoderColorMatch> DecoderColors { get; init; } = [SelfBlend.DecoderColorMatch.Mean];

    /// <summary>Decoder-like copies are drawn down by a factor in [DecoderMinDownscale, 4] and back: 2 makes every one much softer than its frame, 1.5 also nearly sharp ones.</summary>
    public double DecoderMinDownscale { get; init; } = 2;

    /// <summary>The share of decoder-like copies whose contrast is restored after softening, as a gain-fitted swap's is.</summary>
    public double DecoderContrast { get; init; }

    /// <summary>Whether the decoder-like recipe differs from the first one (mean colour only, 2-4x down); only then is it written into the settings, so that older checkpoints still resume.</summary>
    public bool HasDecoderRecipe => DecoderColors is not [SelfBlend.DecoderColorMatch.Mean] || DecoderMinDownscale != 2 || DecoderContrast != 0;

    /// <summary>The share of pairs first turned, scaled and shifted a little (<see cref="SelfBlend.PoseJitter"/>), so the training faces cannot be learnt as they were aligned.</summary>
    public double PoseJitter { get; init; }

    /// <summary>The share of held-out real faces the calibrated threshold may flag.</summary>
    public double TargetFpr { get; init; } = 0.01;

    public void Validate()
    {
        Spec.Validate();
        if (Batch is < 1 or > 512) throw new DoppelException($"batch must be 1..512, got {Batch}", "use e.g. --batch 16");
        if (!(LearningRate > 0 && LearningRate < 1)) throw new DoppelException($"learning rate must be in (0, 1), got {LearningRate}", "use e.g. --lr 1e-3");
        if (!(H264Probability is >= 0 and <= 1)) throw new DoppelException($"H.264 share must be 0..1, got {H264Probability}", "use e.g. --h264 0.3");
        if (MinCrf is < 0 or > 51 || MaxCrf is < 0 or > 51 || MinCrf > MaxCrf) throw new DoppelException($"CRF range {MinCrf}..{MaxCrf} is not within 0..51", "use e.g. 18..32");
        if (!(DecoderPaste is >= 0 and <= 1)) throw new DoppelException($"decoder-like paste share must be 0..1, got {DecoderPaste}", "use e.g. --decoder-paste 0.5");
        if (!(DecoderMinDownscale is >= 1 and <= 4)) throw new DoppelException($"decoder-like downscale must be 1..4, got {DecoderMinDownscale}", "use e.g. --decoder-downscale 1.5");
        if (!(DecoderContrast is >= 0 and <= 1)) throw new DoppelException($"decoder contrast share must be 0..1, got {DecoderContrast}", "use e.g. --decoder-contrast 0.5");
        if (!(PoseJitter is >= 0 and <= 1)) throw new DoppelException($"pose jitter share must be 0..1, got {PoseJitter}", "use e.g. --pose-jitter 0.8");
        if (DecoderColors.Count == 0) throw new DoppelException("no decoder colour match given", "use e.g. --decoder-color mean,gain,lowfreq");
        if (!(TargetFpr is > 0 and < 0.5)) throw new DoppelException($"target false-positive rate must be in (0, 0.5), got {TargetFpr}", "use e.g. --fpr 0.01");
    }
}
