using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Tensors;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Training.Tests.Support;

/// <summary>What decides a toy run's numbers: compared on resume like a real task's settings.</summary>
public sealed record ToySettings
{
    public int Batch { get; init; } = 8;
    public int Hidden { get; init; } = 16;
    public float EncoderLr { get; init; } = 1e-2f;
    public float HeadLr { get; init; } = 5e-2f;
    public ulong Seed { get; init; } = 3;
    public float InputNoise { get; init; } = 0.05f;
}

/// <summary>The toy data set: a fixed regression problem, named by its seed and size.</summary>
public sealed record ToyData(ulong Seed = 11, int Count = 64);

/// <summary>One iteration's examples: inputs (N, 4) and targets (N, 2), made on the loader thread, disposed by the loop.</summary>
public sealed class ToyBatch(Tensor x, Tensor y) : IDisposable
{
    public Tensor X { get; } = x;
    public Tensor Y { get; } = y;

    public void Dispose()
    {
        X.Dispose();
        Y.Dispose();
    }
}

/// <summary>
/// Linear 4 -> hidden, tanh, on inputs centred by a running mean kept in a buffer (as a batch
/// norm keeps its statistics): a module whose buffers a checkpoint must carry for an exact resume.
/// </summary>
public sealed class ToyEncoder : Module<Tensor, Tensor>
{
    private readonly Linear _linear;

    public ToyEncoder(int hidden, Rng rng)
    {
        _linear = AddModule("linear", new Linear(ToyTask.Inputs, hidden, rng, init: WeightInit.GlorotUniform));
        RunningMean = AddBuffer("running_mean", Tensor.Zeros(ToyTask.Inputs));
    }

    public Tensor RunningMean { get; }

    public override Tensor Forward(Tensor x) // (N, 4) -> (N, H)
    {
        if (Training)
        {
            // running_mean = 0.9 running_mean + 0.1 batch mean, outside autograd.
            int n = x.Dim(0);
            var mean = RunningMean.Span;
            var xs = x.Span;
            for (int c = 0; c < ToyTask.Inputs; c++)
            {
                float sum = 0;
                for (int i = 0; i < n; i++) sum += xs[i * ToyTask.Inputs + c];
                mean[c] = 0.9f * mean[c] + 0.1f * sum / n;
            }
        }
        var centred = Ops.Sub(x, RunningMean);
        return Ops.Tanh(_linear.Forward(centred));
    }
}

/// <summary>
/// A small real training task for the shared loop: a two-module regression (encoder and head,
/// trained by two optimisers of different classes, one with a schedule), input noise drawn in
/// the step from a generator whose state carries across iterations (an odd number of normals
/// per step, so a Box-Muller spare is pending at every save), extra state (the sum of the losses
/// so far, reported as a metric), batches seeded per iteration, and a preview file. Every piece of
/// state a checkpoint must carry changes the metrics when it is lost, so 3+3 == 6 tests them all.
/// </summary>
public sealed class ToyTask : ITrainingTask<ToyBatch>
{
    public const int Inputs = 4, Outputs = 2;

    private readonly float[] _x, _y;
    private double _total;

    public ToyTask(ToySettings? settings = null, ToyData? data = null)
    {
        Config = settings ?? new ToySettings();
        DataSet = data ?? new ToyData();
        (_x, _y) = MakeData(DataSet);
        var init = new Rng(Config.Seed);
        Encoder = new ToyEncoder(Config.Hidden, init);
        Head = new Linear(Config.Hidden, Outputs, init, init: WeightInit.GlorotUniform);
        EncoderOptimizer = new Adam(Encoder.NamedParameters(), Config.EncoderLr, beta1: 0.9f);
        HeadOptimizer = new Sgd(Head.NamedParameters(), Config.HeadLr, momentum: 0.9f) { LearningRateSchedule = new CosineAnnealingLr(Config.HeadLr, tMax: 50, etaMin: 1e-3) };
        Noise = new Rng(Config.Seed ^ 0x5EED);
    }

    public ToySettings Config { get; }
    public ToyData DataSet { get; }
    public ToyEncoder Encoder { get; }
    public Linear Head { get; }
    public Adam EncoderOptimizer { get; }
    public Sgd HeadOptimizer { get; }
    public Rng Noise { get; }

    /// <summary>At this iteration (0-based) the step reports NaN after poisoning the weights, as a real divergence would.</summary>
    public long? NanAt { get; init; }

    /// <summary>From this iteration on the step also reports "late", a metric the logs have not seen yet.</summary>
    public long? LateMetricFrom { get; init; }

    public List<long> Previews { get; } = [];

    public string Kind => "toy";
    public string Description => $"toy mlp ({Config.Hidden} hidden)";
    public IReadOnlyList<(string Name, Module Module)> Modules => [("encoder", Encoder), ("head", Head)];
    public IReadOnlyList<(string Name, Optimizer Optimizer)> Optimizers => [("encoder_adam", EncoderOptimizer), ("head_sgd", HeadOptimizer)];
    public IReadOnlyList<(string Name, Rng Rng)> Generators => [("noise", Noise)];
    public JsonObject Settings => CheckpointJson.ToObject(Config);
    public JsonObject Data => CheckpointJson.ToObject(DataSet);
    public int ExamplesPerIteration => Config.Batch;

    public JsonObject? SaveExtra() => double.IsFinite(_total) ? new JsonObject { ["lossTotal"] = _total } : null;

    public void LoadExtra(JsonObject? extra) => _total = extra?["lossTotal"]?.GetValue<double>() ?? 0;

    public ToyBatch MakeBatch(long iteration)
    {
        var rng = new Rng(Config.Seed ^ ((ulong)iteration * 0x9E3779B97F4A7C15UL));
        var x = Tensor.Empty(Config.Batch, Inputs).Persist();
        var y = Tensor.Empty(Config.Batch, Outputs).Persist();
        for (int i = 0; i < Config.Batch; i++)
        {
            int k = rng.Next(DataSet.Count);
            _x.AsSpan(k * Inputs, Inputs).CopyTo(x.Span.Slice(i * Inputs, Inputs));
            _y.AsSpan(k * Outputs, Outputs).CopyTo(y.Span.Slice(i * Outputs, Outputs));
        }
        return new ToyBatch(x, y);
    }

    public IReadOnlyDictionary<string, double> Step(ToyBatch batch, long iteration)
    {
        // Input noise from the carried generator: N*4 + 1 normals, so one Box-Muller spare is left over.
        var noisy = Tensor.Empty(batch.X.Shape);
        var noise = new float[batch.X.Size + 1];
        Noise.FillNormal(noise, 0f, Config.InputNoise);
        for (int i = 0; i < batch.X.Size; i++) noisy.Span[i] = batch.X.Span[i] + noise[i];
        var loss = Ops.MseLoss(Head.Forward(Encoder.Forward(noisy)), batch.Y);
        loss.Backward();
        EncoderOptimizer.StepAndZeroGrad();
        HeadOptimizer.StepAndZeroGrad();
        double value = loss.Item();
        if (iteration == NanAt)
        {
            foreach (var (_, p) in Head.NamedParameters()) p.Span.Fill(float.NaN);
            value = double.NaN;
        }
        _total += value;
        var metrics = new Dictionary<string, double> { ["loss"] = value, ["loss_total"] = _total, ["lr_head"] = HeadOptimizer.LearningRate };
        if (iteration >= LateMetricFrom) metrics["late"] = iteration * 0.5;
        return metrics;
    }

    public void WritePreview(string dir, long iteration)
    {
        Previews.Add(iteration);
        File.WriteAllText(Path.Combine(dir, "preview.txt"), iteration.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Every tensor of the run's state, by name, for bit-for-bit comparisons.</summary>
    public IEnumerable<(string Name, float[] Values)> AllState() =>
        Encoder.StateDict("encoder.").Concat(Head.StateDict("head."))
            .Concat(EncoderOptimizer.State()).Concat(HeadOptimizer.State())
            .Select(t => (t.Name, t.Tensor.ToArray()));

    // y = tanh(A x) + 0.5 sin(x0) with fixed A: smooth, learnable by a small MLP, never exactly.
    private static (float[] X, float[] Y) MakeData(ToyData data)
    {
        var rng = new Rng(data.Seed);
        var a = new float[Outputs * Inputs];
        rng.FillUniform(a, -1f, 1f);
        var x = new float[data.Count * Inputs];
        rng.FillUniform(x, -1.5f, 1.5f);
        var y = new float[data.Count * Outputs];
        for (int n = 0; n < data.Count; n++)
            for (int o = 0; o < Outputs; o++)
            {
                float s = 0;
                for (int i = 0; i < Inputs; i++) s += a[o * Inputs + i] * x[n * Inputs + i];
                y[n * Outputs + o] = MathF.Tanh(s) + 0.5f * MathF.Sin(x[n * Inputs]);
            }
        return (x, y);
    }
}
