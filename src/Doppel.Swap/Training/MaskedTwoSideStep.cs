using Doppel.Swap.Data;
using Doppel.Swap.Models;
using Doppel.Tensors;
using Doppel.Tensors.Optim;

namespace Doppel.Swap.Training;

/// <summary>
/// One training iteration on augmented batches: A's warped faces through decoder A against A's
/// targets, the same for B, each side in its own tensor scope (only one side's activations alive
/// at a time), then one Adam update of every parameter. Like <see cref="TwoSideStep"/>, with the
/// per-pixel loss weights the landmark masks give.
/// </summary>
public sealed class MaskedTwoSideStep(OriginalModel model, Adam optimizer, FaceLoss loss)
{
    public (float LossA, float LossB) Run(TrainingBatch batch)
    {
        float lossA = Side(batch.A, Models.Side.A);
        float lossB = Side(batch.B, Models.Side.B);
        optimizer.StepAndZeroGrad();
        return (lossA, lossB);
    }

    private float Side(SideBatch batch, Side side)
    {
        using var scope = TensorScope.Begin();
        var output = model.Forward(batch.Input, side);                  // (N, S, S, 3)
        var value = loss.Compute(output, batch.Target, batch.Mask);     // scalar
        value.Backward();
        return value.Item();
    }
}
