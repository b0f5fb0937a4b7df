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
        if (!(TargetFpr is > 0 and < 0.5)) throw new DoppelException($"target false-positive rate must be in (0, 0.5), got {TargetFpr}", "use e.g. --fpr 0.01");
    }
}
