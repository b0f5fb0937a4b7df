using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.Model;

/// <summary>The two outputs of <see cref="FakeDetectorNet"/>: one score logit per face and the blend-boundary logits.</summary>
public sealed record DetectorOutput(Tensor Logits, Tensor MaskLogits);

/// <summary>
/// Doppel's fake detector: a compact residual CNN of depthwise-separable blocks with two heads.
/// The score head pools the last stage and gives one logit per face (sigmoid: 0 looks real, 1
/// looks fake). The mask head predicts Face X-ray's blending boundary, 4 m (1 - m) of the blend
/// weights m, at a quarter of the input side, from the quarter-size features merged with the
/// upsampled eighth-size ones (a small U-Net step): a picture of where the paste seam is, and
/// a second task that makes the network look at seams instead of faces.
/// Shapes for input 64 and width w = 24:
/// (N, 64, 64, 3) stem -> (N, 32, 32, w) -> stage1 (N, 16, 16, 2w) -> stage2 (N, 8, 8, 4w)
/// -> stage3 (N, 4, 4, 8w) -> mean -> (N, 8w) -> (N, 1); mask: stage1 + up(stage2) -> 1x1 -> 3x3 -> (N, 16, 16, 1).
/// </summary>
public sealed class FakeDetectorNet : Module
{
    private readonly Sequential _stem, _stage1, _stage2, _stage3, _maskHead;
    private readonly Linear _score;

    public FakeDetectorNet(DetectorSpec spec, Rng rng)
    {
        spec.Validate();
        Spec = spec;
        int w = spec.Width;
        _stem = AddModule("stem", new Sequential(new Conv2d(3, w, 3, 2, 1, rng, bias: false), new BatchNorm2d(w), new ReLU()));
        _stage1 = AddModule("stage1", new Sequential(new SeparableBlock(w, 2 * w, 2, rng), new SeparableBlock(2 * w, 2 * w, 1, rng)));
        _stage2 = AddModule("stage2", new Sequential(new SeparableBlock(2 * w, 4 * w, 2, rng), new SeparableBlock(4 * w, 4 * w, 1, rng)));
        _stage3 = AddModule("stage3", new Sequential(new SeparableBlock(4 * w, 8 * w, 2, rng), new SeparableBlock(8 * w, 8 * w, 1, rng)));
        _score = AddModule("score", new Linear(8 * w, 1, rng, init: WeightInit.GlorotUniform));
        // 1x1 first: a 3x3 over all 6w merged channels would cost more than the rest of the network.
        _maskHead = AddModule("mask", new Sequential(
            new Conv2d(6 * w, w, 1, 1, 0, rng, bias: false), new BatchNorm2d(w), new ReLU(),
            new Conv2d(w, 1, 3, 1, 1, rng)));
    }

    public DetectorSpec Spec { get; }

    /// <summary>x: (N, S, S, 3) RGB in [-1, 1].</summary>
    public DetectorOutput Forward(Tensor x)
    {
        var s1 = _stage1.Forward(_stem.Forward(x));                 // (N, S/4, S/4, 2w)
        var s2 = _stage2.Forward(s1);                               // (N, S/8, S/8, 4w)
        var s3 = _stage3.Forward(s2);                               // (N, S/16, S/16, 8w)
        var pooled = Ops.Mean(s3, [1, 2]);                          // (N, 8w)
        var logits = _score.Forward(pooled);                        // (N, 1)
        var merged = Ops.Concat([s1, Ops.Upsample(s2, 2, UpsampleMode.Bilinear)], 3); // (N, S/4, S/4, 6w)
        return new DetectorOutput(logits, _maskHead.Forward(merged)); // (N, S/4, S/4, 1)
    }
}
