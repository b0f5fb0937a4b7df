using Doppel.Swap.Data;
using Doppel.Swap.Models;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;
using Doppel.Tensors.Optim;

namespace Doppel.Swap.Training;

/// <summary>
/// One training iteration on augmented batches: A's warped faces through decoder A against A's
/// targets, the same for B, each side in its own tensor scope (only one side's activations alive
/// at a time), then one Adam update of every parameter, with the per-pixel loss weights the
/// landmark masks give. It is what training runs, and what <c>bench train</c> times. When the model has the mask branch, its BCE
/// against the binarised weight map (times <c>maskWeight</c>) is added to each side's loss before
/// the backward pass; the returned losses stay the face loss alone, so loss curves compare with
/// runs without the branch, and the mask term is in <see cref="LastMaskLoss"/>. Both sides' forward
/// and backward run their matrix products in <paramref name="precision"/> (the update is float32).
/// </summary>
public sealed class MaskedTwoSideStep(ISwapModel model, Adam optimizer, FaceLoss loss, float maskWeight = 1f, Precision precision = Precision.Fp32)
{
    /// <summary>The last iteration's unweighted mask BCE per side; NaN when no mask was learned.</summary>
    public (float A, float B) LastMaskLoss { get; private set; } = (float.NaN, float.NaN);

    public (float LossA, float LossB) Run(TrainingBatch batch)
    {
        using var products = MatMulPrecision.Use(precision);
        var (lossA, maskA) = Side(batch.A, Models.Side.A);
        var (lossB, maskB) = Side(batch.B, Models.Side.B);
        OpProfiler.Time("adam", optimizer.StepAndZeroGrad);
        LastMaskLoss = (maskA, maskB);
        return (lossA, lossB);
    }

    private (float Face, float Mask) Side(SideBatch batch, Side side)
    {
        using var scope = TensorScope.Begin();
        OpProfiler.Mark(); // bench train --profile charges forward ops from here
        var (output, maskLogits) = model.ForwardWithMask(batch.Input, side); // (N, S, S, 3), (N, S, S, 1)?
        var value = loss.Compute(output, batch.Target, batch.Mask);          // scalar
        // Without landmarks there is nothing to learn the mask from; the trainer refuses that case.
        if (maskLogits is null || batch.Mask is null)
        {
            value.Backward();
            return (value.Item(), float.NaN);
        }
        var maskLoss = Ops.BceWithLogits(maskLogits, FaceLoss.MaskTarget(batch.Mask));
        Ops.Add(value, Ops.Mul(maskLoss, maskWeight)).Backward();
        return (value.Item(), maskLoss.Item());
    }
}
