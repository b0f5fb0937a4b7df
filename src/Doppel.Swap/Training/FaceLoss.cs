using Doppel.Tensors;

namespace Doppel.Swap.Training;

/// <summary>
/// The reconstruction loss: DssimWeight x DSSIM + L1Weight x L1, both weighted by the landmark
/// mask when there is one (face 1, eyes 3, mouth 2, background 0). DSSIM keeps structure and
/// edges; L1 keeps colours, which DSSIM alone lets drift. Without a mask both terms are plain means.
/// </summary>
public sealed record FaceLoss(float DssimWeight = 1f, float L1Weight = 1f)
{
    public Tensor Compute(Tensor prediction, Tensor target, Tensor? mask) // (N, S, S, 3), (N, S, S, 3), (N, S, S, 1)?
    {
        Tensor? l1Mask = null;
        if (mask is not null)
        {
            // L1 normalised by the mean weight, so the loss scale does not depend on how much of
            // the crop the face covers (and stays comparable with an unmasked run).
            float mean = MeanOf(mask);
            l1Mask = mean > 0 ? Ops.Mul(mask, 1f / mean) : mask;
        }
        Tensor? total = null;
        if (DssimWeight != 0) total = Ops.Mul(Ops.DssimLoss(prediction, target, mask), DssimWeight);
        if (L1Weight != 0)
        {
            var l1 = Ops.Mul(Ops.L1Loss(prediction, target, l1Mask), L1Weight);
            total = total is null ? l1 : Ops.Add(total, l1);
        }
        return total ?? throw new InvalidOperationException("both loss weights are zero");
    }

    /// <summary>
    /// What the learned mask is trained towards: 1 wherever the loss weight map is non-zero (the
    /// landmark hull, with the enlarged eye and mouth hulls), 0 elsewhere. It is the weighting
    /// mask itself, binarised, so the branch learns the region the face loss cares about, in the
    /// target's (unwarped) crop coordinates.
    /// </summary>
    public static Tensor MaskTarget(Tensor weights) // (N, S, S, 1) -> (N, S, S, 1), no gradient
    {
        var target = Tensor.Empty(weights.Shape);
        var src = weights.Span;
        var dst = target.Span;
        for (int i = 0; i < src.Length; i++) dst[i] = src[i] > 0 ? 1f : 0f;
        return target;
    }

    private static float MeanOf(Tensor t)
    {
        double sum = 0;
        foreach (float v in t.Span) sum += v;
        return (float)(sum / t.Size);
    }
}
