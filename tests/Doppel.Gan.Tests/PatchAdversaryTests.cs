using Doppel.Gan.Models;
using Doppel.Gan.Training;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Tests;

/// <summary>
/// The patch discriminator and the adversarial term of --gan-power: sizes and receptive field,
/// the losses' signs, each side's update leaving the other alone, and the mask.
/// </summary>
public sealed class PatchAdversaryTests
{
    private static PatchAdversary Adversary(int size = 16) => PatchAdversary.Create(size, 3, 1e-3f, new Rng(3));

    private static Dictionary<string, float[]> Snapshot(Module m) => m.StateDict().ToDictionary(s => s.Name, s => s.Tensor.ToArray());

    private static Tensor Images(int n, int size, ulong seed, bool grad = false)
    {
        var t = Tensor.Empty(n, size, size, 3);
        new Rng(seed).FillUniform(t.Span, 0f, 1f);
        t.RequiresGrad = grad;
        return t;
    }

    [Theory]
    [InlineData(16, 1, 8)]
    [InlineData(64, 1, 32)]
    [InlineData(128, 2, 32)]
    [InlineData(256, 3, 32)]
    public void OnePatchLogitPerCell_WithAReceptiveFieldOfAboutAnEighth(int size, int downsamplings, int map)
    {
        var d = new PatchDiscriminator(size, 3, new Rng(1));
        Assert.Equal(downsamplings, d.Downsamplings);
        Assert.True(d.ReceptiveField >= size / 8);
        if (size >= 64) Assert.InRange(d.ReceptiveField, size / 8, size / 8 * 1.25);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.Off();
        Assert.Equal([2, map, map, 1], d.Forward(Tensor.Zeros(2, size, size, 3)).Shape);
    }

    [Fact]
    public void TheGeneratorsLossFallsAsDIsFooled_AndDsLossFallsAsItJudgesRight()
    {
        var adversary = Adversary();
        var last = adversary.Discriminator.NamedParameters().Last(p => p.Name.EndsWith("bias", StringComparison.Ordinal)).Tensor;  // the logit's bias
        var lastWeight = adversary.Discriminator.NamedParameters().Last(p => p.Name.EndsWith("weight", StringComparison.Ordinal)).Tensor;
        var weightBefore = lastWeight.ToArray();
        lastWeight.Span.Clear();  // the logit is its bias alone
        using var scope = TensorScope.Begin();
        var fake = Images(2, 16, 1);
        float Generator(float bias) { last.Span.Fill(bias); return adversary.GeneratorLoss(fake, null).Item(); }
        // D says "real" (logit +6): the generator's BCE(D(fake), real) is small; "fake" (-6): large.
        Assert.True(Generator(6f) < 0.01f);
        Assert.True(Generator(-6f) > 5.9f);
        Assert.Equal(Math.Log(2), Generator(0f), 1e-6);
        last.Span.Fill(0f);
        weightBefore.CopyTo(lastWeight.Span);

        // A few D steps on the same pair (noise as real, flat grey as fake): D's belief in the real
        // images rises above its belief in the fakes.
        var real = Images(2, 16, 2);
        fake = Tensor.Full(0.5f, 2, 16, 16, 3);
        var first = adversary.DiscriminatorStep(real, fake, null);
        (double Loss, double Real, double Fake) now = first;
        for (int i = 0; i < 60; i++) now = adversary.DiscriminatorStep(real, fake, null);
        Assert.True(now.Loss < first.Loss, $"D's loss {first.Loss} -> {now.Loss} (D(real) {first.Real} -> {now.Real}, D(fake) {first.Fake} -> {now.Fake})");
        Assert.True(now.Real > now.Fake + 0.3, $"D(real) {first.Real} -> {now.Real}, D(fake) {first.Fake} -> {now.Fake}");
        Assert.Equal(60 + 1, adversary.Optimizer.Step);
    }

    [Fact]
    public void TheGeneratorsTermNeverTouchesD_AndDsStepNeverReachesTheGenerator()
    {
        var adversary = Adversary();
        var d = adversary.Discriminator;
        var before = Snapshot(d);
        using var scope = TensorScope.Begin();
        // A one-layer "generator": its output is part of its graph.
        var generator = new Conv2d(3, 3, 3, 1, 1, new Rng(5));
        var input = Images(2, 16, 4);

        var g = adversary.GeneratorLoss(generator.Forward(input), null);
        g.Backward();
        Assert.All(d.Parameters(), p => Assert.Null(p.Grad));                 // no gradient for D's parameters
        Assert.All(generator.Parameters(), p => Assert.NotNull(p.Grad));      // the generator's do get one
        Assert.Equal(before, Snapshot(d));
        Assert.All(d.Parameters(), p => Assert.False(p.RequiresGrad));         // frozen outside its own step
        generator.ZeroGrad();

        adversary.DiscriminatorStep(Images(2, 16, 6), generator.Forward(input), null);
        Assert.All(generator.Parameters(), p => Assert.Null(p.Grad));
        Assert.NotEqual(before, Snapshot(d));
    }

    [Fact]
    public void OutsideTheMaskNothingCounts()
    {
        var adversary = Adversary();
        using var scope = TensorScope.Begin();
        // The mask covers the left half; images that differ only on the right half score the same.
        var mask = Tensor.Zeros(1, 16, 16, 1);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 8; x++) mask.Span[y * 16 + x] = 3f;  // a weight map: any value > 0 is inside
        var a = Images(1, 16, 7);
        var b = a.Clone();
        for (int y = 0; y < 16; y++) for (int x = 8; x < 16; x++) for (int c = 0; c < 3; c++) b.Span[(y * 16 + x) * 3 + c] = 1f - b.Span[(y * 16 + x) * 3 + c];
        Assert.Equal(adversary.GeneratorLoss(a, mask).Item(), adversary.GeneratorLoss(b, mask).Item());
        Assert.NotEqual(adversary.GeneratorLoss(a, null).Item(), adversary.GeneratorLoss(b, null).Item());
    }
}
