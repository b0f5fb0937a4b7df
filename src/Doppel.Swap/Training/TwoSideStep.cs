using Doppel.Swap.Models;
using Doppel.Tensors;
using Doppel.Tensors.Optim;

namespace Doppel.Swap.Training;

/// <summary>
/// One training iteration of a shared-encoder autoencoder: A's batch through decoder A, B's
/// batch through decoder B, gradients of both losses accumulated (the encoder gets both), then
/// one Adam update over all parameters. Each side runs in its own tensor scope, so only one
/// side's activations are alive at a time. Any loss, no weights, no mask branch: training (and
/// so <c>bench train</c>) runs <see cref="MaskedTwoSideStep"/>; this serves callers that only
/// need a model moved by a few plain steps (the checkpoint tests).
/// </summary>
public sealed class TwoSideStep(ISwapModel model, Adam optimizer, Func<Tensor, Tensor, Tensor> loss)
{
    public (float LossA, float LossB) Run(Tensor warpedA, Tensor targetA, Tensor warpedB, Tensor targetB)
    {
        float lossA = Side(warpedA, targetA, Models.Side.A);
        float lossB = Side(warpedB, targetB, Models.Side.B);
        Doppel.Tensors.Autograd.OpProfiler.Time("adam", optimizer.StepAndZeroGrad);
        return (lossA, lossB);
    }

    private float Side(Tensor input, Tensor target, Side side)
    {
        using var scope = TensorScope.Begin();
        Doppel.Tensors.Autograd.OpProfiler.Mark();
        var output = model.Forward(input, side);
        var value = loss(output, target);
        value.Backward();
        return value.Item();
    }
}
