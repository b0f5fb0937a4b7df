using Doppel.Gan.Training;
using Doppel.Tensors;

namespace Doppel.Gan.Tests;

/// <summary>The losses of Algorithm 1 from logits: values against the formulas, signs, and gradients against finite differences.</summary>
public sealed class GanLossTests
{
    private static readonly float[] Real = [2.5f, -0.3f, 0.8f, 6f];
    private static readonly float[] Fake = [-1.2f, 0.4f, -3f, 0.1f];

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static Tensor Logits(float[] values, bool grad = false)
    {
        var t = Tensor.FromArray(values, values.Length, 1).Persist();
        t.RequiresGrad = grad;
        return t;
    }

    [Fact]
    public void TheDiscriminatorLossIsMinusHalfAlgorithmOnesObjective()
    {
        using var scope = TensorScope.Begin();
        double objective = Real.Average(r => Math.Log(Sigmoid(r))) + Fake.Average(f => Math.Log(1 - Sigmoid(f)));
        Assert.Equal(-0.5 * objective, GanLoss.Discriminator(Logits(Real), Logits(Fake)).Item(), 5);
        // One-sided label smoothing: the real target is 0.9, the fake one stays 0.
        double smoothed = Real.Average(r => -(0.9 * Math.Log(Sigmoid(r)) + 0.1 * Math.Log(1 - Sigmoid(r)))) + Fake.Average(f => -Math.Log(1 - Sigmoid(f)));
        Assert.Equal(0.5 * smoothed, GanLoss.Discriminator(Logits(Real), Logits(Fake), 0.9f).Item(), 5);
    }

    [Fact]
    public void GeneratorLossesHaveThePapersSigns()
    {
        using var scope = TensorScope.Begin();
        // Minimax: G descends mean log(1 - D(G(z))), a negative number that falls as D is fooled.
        double minimax = Fake.Average(f => Math.Log(1 - Sigmoid(f)));
        Assert.Equal(minimax, GanLoss.Generator(Logits(Fake), GanSettings.Minimax).Item(), 5);
        Assert.True(minimax < 0);
        // Non-saturating: G descends -mean log D(G(z)), positive, falling as D is fooled.
        double nonSaturating = -Fake.Average(f => Math.Log(Sigmoid(f)));
        Assert.Equal(nonSaturating, GanLoss.Generator(Logits(Fake), GanSettings.NonSaturating).Item(), 5);
        // Both fall when D believes the samples more (higher logits).
        float[] fooled = Fake.Select(f => f + 2f).ToArray();
        Assert.True(GanLoss.Generator(Logits(fooled), GanSettings.Minimax).Item() < minimax);
        Assert.True(GanLoss.Generator(Logits(fooled), GanSettings.NonSaturating).Item() < nonSaturating);
        // And D's loss rises when it is fooled.
        Assert.True(GanLoss.Discriminator(Logits(Real), Logits(fooled)).Item() > GanLoss.Discriminator(Logits(Real), Logits(Fake)).Item());
    }

    [Fact]
    public void EarlyInTrainingTheMinimaxGradientVanishesAndTheNonSaturatingOneDoesNot()
    {
        // D rejects the samples confidently (logit -8): the paper's reason to ascend log D(G(z)).
        float[] rejected = [-8f, -8f];
        double Gradient(string loss)
        {
            using var scope = TensorScope.Begin();
            var logits = Logits(rejected, grad: true);
            GanLoss.Generator(logits, loss).Backward();
            double g = Math.Abs(logits.Grad!.Span[0]);
            logits.Dispose();
            return g;
        }
        double minimax = Gradient(GanSettings.Minimax), nonSaturating = Gradient(GanSettings.NonSaturating);
        Assert.True(minimax < 1e-3, $"minimax gradient {minimax}");
        Assert.True(nonSaturating > 0.4, $"non-saturating gradient {nonSaturating}");
    }

    public static TheoryData<string> Losses => new() { "d", GanSettings.Minimax, GanSettings.NonSaturating };

    [Theory]
    [MemberData(nameof(Losses))]
    public void GradientsMatchFiniteDifferences(string which)
    {
        var real = Logits(Real, grad: true);
        var fake = Logits(Fake, grad: true);
        Tensor Loss() => which == "d" ? GanLoss.Discriminator(real, fake, 0.9f) : GanLoss.Generator(fake, which);
        using (TensorScope.Begin()) Loss().Backward();
        var inputs = which == "d" ? new[] { real, fake } : [fake];
        const float h = 1e-2f;
        foreach (var input in inputs)
        {
            var analytic = input.Grad!.ToArray();
            for (int i = 0; i < input.Size; i++)
            {
                float original = input.Data[i];
                input.Data[i] = original + h;
                double plus;
                using (TensorScope.Begin()) plus = Loss().Item();
                input.Data[i] = original - h;
                double minus;
                using (TensorScope.Begin()) minus = Loss().Item();
                input.Data[i] = original;
                double numeric = (plus - minus) / (2 * h);
                Assert.True(Math.Abs(numeric - analytic[i]) <= 2e-3 + 1e-2 * Math.Abs(numeric), $"{which}, logit {i}: autograd {analytic[i]}, finite difference {numeric}");
                Assert.True(Math.Abs(numeric) > 1e-4 || which == "d", "the check must see a gradient");
            }
        }
        if (which != "d") Assert.Null(real.Grad);
        real.Dispose();
        fake.Dispose();
    }
}
