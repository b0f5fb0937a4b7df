using System.Text.Json.Nodes;
using Doppel.Tensors;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Training.Tests.Support;

/// <summary>One iteration's images (N, 8, 8, 1) and labels, made on the loader thread.</summary>
public sealed class ImageBatch(Tensor images, int[] labels) : IDisposable
{
    public Tensor Images { get; } = images;
    public int[] Labels { get; } = labels;

    public void Dispose() => Images.Dispose();
}

/// <summary>
/// A detector-shaped toy: conv, batch norm (running statistics and a batch counter in buffers),
/// ReLU, dropout (masks from a generator the checkpoint carries), linear, softmax cross-entropy,
/// AdamW; classes are horizontal against vertical stripes under noise, drawn per iteration.
/// </summary>
public sealed class ToyClassifierTask : ITrainingTask<ImageBatch>
{
    private const int Size = 8, Batch = 8;

    public ToyClassifierTask(ulong seed = 5)
    {
        Seed = seed;
        var init = new Rng(seed);
        DropoutRng = new Rng(seed + 1);
        Net = new Sequential(
            new Conv2d(1, 4, 3, 1, 1, init, bias: false),
            new BatchNorm2d(4),
            new ReLU(),
            new Flatten(),
            new Dropout(0.3f, DropoutRng),
            new Linear(Size * Size * 4, 2, init));
        Optimizer = new AdamW(Net.NamedParameters(), 3e-3f);
    }

    public ulong Seed { get; }
    public Sequential Net { get; }
    public AdamW Optimizer { get; }
    public Rng DropoutRng { get; }

    public string Kind => "toy-detector";
    public string Description => "stripe classifier";
    public IReadOnlyList<(string Name, Module Module)> Modules => [("net", Net)];
    public IReadOnlyList<(string Name, Optimizer Optimizer)> Optimizers => [("adamw", Optimizer)];
    public IReadOnlyList<(string Name, Rng Rng)> Generators => [("dropout", DropoutRng)];
    public JsonObject Settings => new() { ["seed"] = Seed, ["batch"] = Batch, ["lr"] = 3e-3 };
    public JsonObject Data => new() { ["kind"] = "stripes", ["size"] = Size };
    public int ExamplesPerIteration => Batch;

    public ImageBatch MakeBatch(long iteration)
    {
        var rng = new Rng(Seed * 31 + (ulong)iteration);
        var images = Tensor.Empty(Batch, Size, Size, 1).Persist();
        var labels = new int[Batch];
        var px = images.Span;
        for (int n = 0; n < Batch; n++)
        {
            labels[n] = rng.Next(2);
            int phase = rng.Next(2);
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < Size; x++)
                {
                    int along = labels[n] == 0 ? y : x;
                    px[(n * Size + y) * Size + x] = ((along + phase) % 2) + (float)rng.Normal() * 0.4f;
                }
        }
        return new ImageBatch(images, labels);
    }

    public IReadOnlyDictionary<string, double> Step(ImageBatch batch, long iteration)
    {
        var logits = Net.Forward(batch.Images); // (N, 2)
        var loss = Ops.SoftmaxCrossEntropy(logits, batch.Labels);
        loss.Backward();
        Optimizer.StepAndZeroGrad();
        int right = 0;
        var l = logits.Span;
        for (int n = 0; n < Batch; n++) right += (l[2 * n + 1] > l[2 * n] ? 1 : 0) == batch.Labels[n] ? 1 : 0;
        return new Dictionary<string, double> { ["loss"] = loss.Item(), ["acc"] = (double)right / Batch };
    }

    public IEnumerable<(string Name, float[] Values)> AllState() =>
        Net.StateDict().Concat(Optimizer.State()).Select(t => (t.Name, t.Tensor.ToArray()));
}
