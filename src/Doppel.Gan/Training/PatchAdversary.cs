using Doppel.Gan.Models;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Gan.Training;

/// <summary>
/// An adversarial term for any image-to-image network (the swap decoders' "GAN power"): a
/// <see cref="PatchDiscriminator"/> with its own Adam, judging generated images against their
/// targets inside a mask. Both are multiplied by the mask before D sees them (outside it D sees
/// black in both, so nothing there can be told apart) and each patch's BCE is weighted by the
/// share of its cell the mask covers, normalised to mean 1 (so the term's scale does not depend
/// on how much of the crop the face fills). Without a mask every patch counts the same.
/// <list type="bullet">
/// <item><see cref="GeneratorLoss"/>: BCE(D(fake), real) through D, which stays frozen outside its
/// own step: the gradient reaches the generator, none reaches D's parameters (the non-saturating
/// loss of Goodfellow et al.).</item>
/// <item><see cref="DiscriminatorStep"/>: one Adam update of D on (BCE(D(real), 1) + BCE(D(fake),
/// 0)) / 2, the fakes taken as constants, so the generator cannot change.</item>
/// </list>
/// </summary>
public sealed class PatchAdversary
{
    public PatchAdversary(PatchDiscriminator discriminator, Adam optimizer)
    {
        Discriminator = discriminator;
        Optimizer = optimizer;
        // Frozen except inside its own step: the generator's loss is backpropagated by the
        // caller, later, so freezing only while it is built would let D's parameters collect a gradient.
        Discriminator.Freeze();
    }

    /// <summary>A discriminator for <paramref name="size"/> px images and its Adam (beta1 0.5, beta2 0.999, as DCGAN's).</summary>
    public static PatchAdversary Create(int size, int channels, float learningRate, Rng init)
    {
        var d = new PatchDiscriminator(size, channels, init);
        return new PatchAdversary(d, new Adam(d.NamedParameters(), learningRate, 0.5f, 0.999f));
    }

    public PatchDiscriminator Discriminator { get; }
    public Adam Optimizer { get; }

    /// <summary>
    /// The generator's adversarial loss, mean-weighted BCE(D(fake x mask), 1), through the frozen D
    /// (whenever the caller runs the backward pass, D's parameters get no gradient). Add it (times
    /// the GAN power) to the reconstruction loss before the backward pass.
    /// </summary>
    /// <param name="fake">(N, S, S, C) generated images, part of the generator's graph.</param>
    /// <param name="mask">(N, S, S, 1) with values > 0 inside the region to judge, or null for the whole image.</param>
    public Tensor GeneratorLoss(Tensor fake, Tensor? mask)
    {
        var logits = Discriminator.Forward(Masked(fake, mask));                    // (N, s, s, 1)
        return Ops.BceWithLogits(logits, Tensor.Ones(logits.Shape), PatchWeights(mask, logits));
    }

    /// <summary>
    /// One update of D: real images towards 1, generated ones (constants here) towards 0, each
    /// patch weighted by the mask. Returns D's loss and its mean probabilities on the real and
    /// the generated patches (inside the mask), before the update.
    /// </summary>
    public (double Loss, double Real, double Fake) DiscriminatorStep(Tensor real, Tensor fake, Tensor? mask)
    {
        using var scope = TensorScope.Begin();
        Tensor constantFake;
        using (GradMode.Off()) constantFake = Masked(fake.Detach(), mask);  // a copy: no graph back into the generator
        Discriminator.Unfreeze();
        try
        {
            var realLogits = Discriminator.Forward(Masked(real, mask));
            var fakeLogits = Discriminator.Forward(constantFake);
            var weights = PatchWeights(mask, realLogits);
            var loss = Ops.Mul(Ops.Add(
                Ops.BceWithLogits(realLogits, Tensor.Ones(realLogits.Shape), weights),
                Ops.BceWithLogits(fakeLogits, Tensor.Zeros(fakeLogits.Shape), weights)), 0.5f);
            loss.Backward();
            Optimizer.StepAndZeroGrad();
            return (loss.Item(), MeanProbability(realLogits, weights), MeanProbability(fakeLogits, weights));
        }
        finally
        {
            Discriminator.Freeze();
        }
    }

    /// <summary>D's probability that each patch is real, (N, s, s, 1), without gradients (previews).</summary>
    public Tensor Judge(Tensor images, Tensor? mask)
    {
        using var noGrad = GradMode.Off();
        return Ops.Sigmoid(Discriminator.Forward(Masked(images, mask)));
    }

    /// <summary>Images times the binary mask (1 where the mask is above 0), or the images themselves without a mask.</summary>
    private static Tensor Masked(Tensor images, Tensor? mask) => mask is null ? images : Ops.Mul(images, Binary(mask));

    private static Tensor Binary(Tensor mask)
    {
        var b = Tensor.Empty(mask.Shape);
        var src = mask.Span;
        var dst = b.Span;
        for (int i = 0; i < src.Length; i++) dst[i] = src[i] > 0 ? 1f : 0f;
        return b;
    }

    /// <summary>Each patch's share of mask, normalised to mean 1 over the batch; null (all 1) without a mask.</summary>
    private Tensor? PatchWeights(Tensor? mask, Tensor logits)
    {
        if (mask is null) return null;
        Tensor cover;
        using (GradMode.Off()) cover = Ops.AvgPool2d(Binary(mask), Discriminator.CellSize);   // (N, s, s, 1)
        if (!cover.Shape.SequenceEqual(logits.Shape))
            throw new ArgumentException($"mask {string.Join('x', mask.Shape)} does not cover the patches {string.Join('x', logits.Shape)}");
        double sum = 0;
        foreach (float v in cover.Span) sum += v;
        if (sum <= 0) return cover;  // no face anywhere: every patch weighs 0
        float scale = (float)(cover.Size / sum);
        var span = cover.Span;
        for (int i = 0; i < span.Length; i++) span[i] *= scale;
        return cover;
    }

    private static double MeanProbability(Tensor logits, Tensor? weights)
    {
        var l = logits.Span;
        var w = weights is null ? ReadOnlySpan<float>.Empty : weights.Span;
        double sum = 0, total = 0;
        for (int i = 0; i < l.Length; i++)
        {
            double wi = w.IsEmpty ? 1 : w[i];
            sum += wi / (1 + Math.Exp(-l[i]));
            total += wi;
        }
        return total > 0 ? sum / total : 0;
    }
}
