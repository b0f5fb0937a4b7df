using Doppel.Tensors;

namespace Doppel.Gan.Training;

/// <summary>
/// Algorithm 1's objectives as losses to descend, computed from D's logits with the stable
/// binary cross-entropy (<see cref="Ops.BceWithLogits"/>), so no probability is ever rounded to
/// 0 or 1 inside a log.
/// </summary>
public static class GanLoss
{
    /// <summary>
    /// D's loss: -(1/2)[mean log D(x) + mean log(1 - D(G(z)))] = (BCE(real logits, 1) +
    /// BCE(fake logits, 0)) / 2. Descending it ascends Algorithm 1's
    /// (1/m) sum [log D(x) + log(1 - D(G(z)))] (the half is the paper's code's, pylearn2's
    /// AdversaryCost2: the cross-entropy over the 2m examples, so its learning rate means what
    /// it meant there). With one-sided label smoothing the real target is
    /// <paramref name="realTarget"/> (e.g. 0.9) instead of 1.
    /// </summary>
    public static Tensor Discriminator(Tensor realLogits, Tensor fakeLogits, float realTarget = 1f)
    {
        var real = Ops.BceWithLogits(realLogits, Tensor.Full(realTarget, realLogits.Shape));
        var fake = Ops.BceWithLogits(fakeLogits, Tensor.Zeros(fakeLogits.Shape));
        return Ops.Mul(Ops.Add(real, fake), 0.5f);
    }

    /// <summary>
    /// G's loss. Minimax: mean log(1 - D(G(z))) = -BCE(fake logits, 0), descended as Algorithm 1
    /// is written (its gradient vanishes while D rejects the samples confidently). Non-saturating:
    /// -mean log D(G(z)) = BCE(fake logits, 1), the paper's advice in practice: the same fixed
    /// point, strong gradients early.
    /// </summary>
    public static Tensor Generator(Tensor fakeLogits, string loss) => loss switch
    {
        GanSettings.Minimax => Ops.Neg(Ops.BceWithLogits(fakeLogits, Tensor.Zeros(fakeLogits.Shape))),
        GanSettings.NonSaturating => Ops.BceWithLogits(fakeLogits, Tensor.Ones(fakeLogits.Shape)),
        _ => throw new ArgumentException($"unknown generator loss '{loss}'", nameof(loss)),
    };

    /// <summary>The mean of sigmoid(logits): D's average belief that its inputs are real.</summary>
    public static double MeanProbability(Tensor logits)
    {
        double sum = 0;
        foreach (float l in logits.Span) sum += 1 / (1 + Math.Exp(-l));
        return logits.Size == 0 ? 0 : sum / logits.Size;
    }
}
