using Doppel.Gan.Training;
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
/// <para>
/// With an <paramref name="adversary"/> (<c>--gan-power W</c>), each side's loss also gets W x
/// BCE(D(reconstruction), real) through the frozen patch discriminator, and after the
/// autoencoder's update D takes one step on both sides' targets (real) and the reconstructions
/// of this iteration (fake, as constants), all inside the face mask; the terms are in
/// <see cref="LastAdversarial"/>.
/// </para>
/// </summary>
public sealed class MaskedTwoSideStep(ISwapModel model, Adam optimizer, FaceLoss loss, float maskWeight = 1f, Precision precision = Precision.Fp32,
    PatchAdversary? adversary = null, float ganPower = 0f)
{
    /// <summary>The last iteration's unweighted mask BCE per side; NaN when no mask was learned.</summary>
    public (float A, float B) LastMaskLoss { get; private set; } = (float.NaN, float.NaN);

    /// <summary>
    /// The last iteration's adversarial terms: G, the unweighted BCE(D(reconstruction), real)
    /// averaged over the sides; D's loss and its mean probabilities on the real and the
    /// reconstructed faces before its update. NaN without an adversary.
    /// </summary>
    public AdversarialTerms LastAdversarial { get; private set; } = AdversarialTerms.None;

    public (float LossA, float LossB) Run(TrainingBatch batch)
    {
        using var products = MatMulPrecision.Use(precision);
        var (lossA, maskA, advA, fakeA) = Side(batch.A, Models.Side.A);
        using var keepA = fakeA;
        var (lossB, maskB, advB, fakeB) = Side(batch.B, Models.Side.B);
        using var keepB = fakeB;
        OpProfiler.Time("adam", optimizer.StepAndZeroGrad);
        LastMaskLoss = (maskA, maskB);
        if (adversary is not null)
        {
            using var scope = TensorScope.Begin();
            var masks = batch.A.Mask is null || batch.B.Mask is null ? null : Ops.Concat([batch.A.Mask, batch.B.Mask], 0);
            var d = adversary.DiscriminatorStep(Ops.Concat([batch.A.Target, batch.B.Target], 0), Ops.Concat([fakeA!, fakeB!], 0), masks);
            LastAdversarial = new AdversarialTerms((advA + advB) / 2, d.Loss, d.Real, d.Fake);
        }
        return (lossA, lossB);
    }

    // The face loss, the mask loss, the adversarial term (each unweighted) and, with an adversary, a
    // persisted copy of the reconstruction for D's step (the caller disposes it).
    private (float Face, float Mask, double Adversarial, Tensor? Fake) Side(SideBatch batch, Side side)
    {
        using var scope = TensorScope.Begin();
        OpProfiler.Mark(); // bench train --profile charges forward ops from here
        var (output, maskLogits) = model.ForwardWithMask(batch.Input, side); // (N, S, S, 3), (N, S, S, 1)?
        var value = loss.Compute(output, batch.Target, batch.Mask);          // scalar
        var total = value;
        float maskLoss = float.NaN;
        // Without landmarks there is nothing to learn the mask from; the trainer refuses that case.
        if (maskLogits is not null && batch.Mask is not null)
        {
            var bce = Ops.BceWithLogits(maskLogits, FaceLoss.MaskTarget(batch.Mask));
            total = Ops.Add(total, Ops.Mul(bce, maskWeight));
            maskLoss = bce.Item();
        }
        double adversarial = double.NaN;
        Tensor? fake = null;
        if (adversary is not null)
        {
            var g = adversary.GeneratorLoss(output, batch.Mask);
            total = Ops.Add(total, Ops.Mul(g, ganPower));
            adversarial = g.Item();
            fake = output.Detach().Persist();
        }
        total.Backward();
        return (value.Item(), maskLoss, adversarial, fake);
    }
}

/// <summary>One iteration's adversarial terms (see <see cref="MaskedTwoSideStep.LastAdversarial"/>).</summary>
public sealed record AdversarialTerms(double Generator, double DiscriminatorLoss, double DiscriminatorReal, double DiscriminatorFake)
{
    public static AdversarialTerms None { get; } = new(double.NaN, double.NaN, double.NaN, double.NaN);
}
