using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Doppel.Tensors.Autograd;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Tensors.Tests.Docs;

/// <summary>
/// docs/engine.md's examples: they are the code of <see cref="EngineExamples"/> (checked here
/// block by block), they build the shapes the document says, and they learn.
/// </summary>
public sealed partial class EngineExampleTests
{
    private static string SourceDir([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    [Fact]
    public void Every_code_block_of_the_document_is_compiled_here()
    {
        string repo = Path.GetFullPath(Path.Combine(SourceDir(), "..", "..", ".."));
        string doc = File.ReadAllText(Path.Combine(repo, "docs", "engine.md"));
        string source = Normalise(File.ReadAllText(Path.Combine(SourceDir(), "EngineExamples.cs")));
        var blocks = CodeBlock().Matches(doc).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 3, $"docs/engine.md has {blocks.Count} csharp blocks");
        foreach (string block in blocks)
            Assert.True(source.Contains(Normalise(block), StringComparison.Ordinal), $"this block of docs/engine.md is not in EngineExamples.cs:\n{block}");
    }

    private static string Normalise(string code) => Whitespace().Replace(code, " ").Trim();

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [Fact]
    public void The_discriminator_gives_one_logit_per_image_and_learns_real_from_fake()
    {
        var rng = new Rng(1);
        var d = new DcganDiscriminator(8, rng);
        Assert.Contains(d.NamedBuffers(), b => b.Name == "net.3.running_mean");
        Assert.DoesNotContain(d.NamedParameters(), p => p.Name == "net.2.bias"); // no bias before batch norm
        var adam = new Adam(d.NamedParameters(), lr: 2e-4f, beta1: 0.5f);
        // "Real" images are smooth, "fake" ones noise: a discriminator tells them apart in a few steps.
        var real = Tensor.Empty(4, 64, 64, 3).Persist();
        var fake = Tensor.Empty(4, 64, 64, 3).Persist();
        for (int i = 0; i < real.Size; i++) real.Data[i] = MathF.Sin(i % 64 * 0.1f);
        rng.FillUniform(fake.Span, -1f, 1f);
        var ones = Tensor.Ones(4, 1).Persist();
        var zeros = Tensor.Zeros(4, 1).Persist();
        var losses = new List<float>();
        for (int step = 0; step < 8; step++)
        {
            using var scope = TensorScope.Begin();
            var logitsReal = d.Forward(real);                                   // (4, 1)
            Assert.Equal([4, 1], logitsReal.Shape);
            var loss = Ops.Add(Ops.BceWithLogits(logitsReal, ones), Ops.BceWithLogits(d.Forward(fake), zeros));
            loss.Backward();
            adam.StepAndZeroGrad();
            losses.Add(loss.Item());
        }
        Assert.True(losses[^1] < 0.5f * losses[0], $"losses {string.Join(", ", losses)}");
        d.Eval();
        using (GradMode.Off())
        using (TensorScope.Begin())
        {
            float pReal = Ops.Sigmoid(d.Forward(real)).Data.Average(), pFake = Ops.Sigmoid(d.Forward(fake)).Data.Average();
            Assert.True(pReal > pFake, $"D(real) {pReal}, D(fake) {pFake} in eval mode");
        }
    }

    [Fact]
    public void The_classifier_learns_stripes_with_sgd_and_a_schedule()
    {
        var rng = new Rng(2);
        var model = new SmallClassifier(8, 2, rng);
        var sgd = new Sgd(model.NamedParameters(), lr: 0.05f, momentum: 0.5f)
        {
            MomentumSchedule = new MomentumRamp(0.5, 0.7, 0, 20),
            LearningRateSchedule = new CosineAnnealingLr(0.05, 40),
        };
        // Class 0: horizontal stripes, class 1: vertical, with random phase and noise.
        (Tensor Images, int[] Labels) Batch(int n)
        {
            var x = Tensor.Empty(n, 8, 8, 3).Persist();
            var labels = new int[n];
            for (int i = 0; i < n; i++)
            {
                labels[i] = rng.Next(2);
                int phase = rng.Next(2);
                for (int y = 0; y < 8; y++)
                    for (int xx = 0; xx < 8; xx++)
                        for (int c = 0; c < 3; c++)
                            x.Data[((i * 8 + y) * 8 + xx) * 3 + c] = ((labels[i] == 0 ? y : xx) + phase) % 2 + rng.Uniform(-0.3f, 0.3f);
            }
            return (x, labels);
        }
        float first = 0, last = 0;
        for (int step = 0; step < 40; step++)
        {
            var (images, labels) = Batch(16);
            last = ClassifierStep.Run(model, sgd, images, labels);
            if (step == 0) first = last;
            images.Dispose();
        }
        Assert.True(last < 0.5f * first, $"loss {first} -> {last}");
        model.Eval();
        var (test, truth) = Batch(64);
        using var noGrad = GradMode.Off();
        using var scope = TensorScope.Begin();
        var logits = model.Forward(test);
        int correct = 0;
        for (int i = 0; i < 64; i++) correct += (logits.Data[2 * i + 1] > logits.Data[2 * i] ? 1 : 0) == truth[i] ? 1 : 0;
        Assert.True(correct >= 60, $"{correct} of 64 held-out images classified correctly");
    }
}
