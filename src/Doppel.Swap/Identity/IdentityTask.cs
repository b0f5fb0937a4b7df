using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Datasets.FaceSets;
using Doppel.Tensors;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;
using Doppel.Training;

namespace Doppel.Swap.Identity;

/// <summary>
/// Training the A-vs-B identity classifier as a task of the shared loop: batches from
/// <see cref="IdentityBatch.Make"/>, binary cross-entropy on the logit against the share of B,
/// AdamW. Its checkpoint holds the classifier, so a benchmark that trained one reuses it: the
/// loop resumes it, finds the iterations done, and returns at once (settings and data are
/// compared first, so a classifier trained on other faces or otherwise is refused, not reused).
/// </summary>
public sealed class IdentityTask : ITrainingTask<IdentityBatch>
{
    private readonly TrainingFaces _a, _b;
    private readonly IdentityTrainSettings _settings;
    private readonly JsonObject _data;
    private readonly AdamW _optimizer;

    /// <param name="data">What the faces are (sources, frames, fingerprints), compared on resume.</param>
    public IdentityTask(TrainingFaces a, TrainingFaces b, IdentityTrainSettings settings, JsonObject data)
    {
        if (a.InputSize != IdentityInput.Size || b.InputSize != IdentityInput.Size)
            throw new ArgumentException($"the identity classifier takes {IdentityInput.Size} px faces");
        (_a, _b, _settings, _data) = (a, b, settings, data);
        Classifier = new IdentityClassifier(new Rng(settings.Seed), settings.Width);
        _optimizer = new AdamW(Classifier.NamedParameters(), settings.LearningRate, weightDecay: settings.WeightDecay);
    }

    public IdentityClassifier Classifier { get; }

    public string Kind => "identity";
    public string Description => "the identity classifier";
    public IReadOnlyList<(string Name, Module Module)> Modules => [("classifier", Classifier)];
    public IReadOnlyList<(string Name, Optimizer Optimizer)> Optimizers => [("optimizer", _optimizer)];
    public JsonObject Settings => (JsonObject)JsonSerializer.SerializeToNode(_settings)!;
    public JsonObject Data => (JsonObject)_data.DeepClone();
    public int ExamplesPerIteration => _settings.BatchSize;

    public IdentityBatch MakeBatch(long iteration) => IdentityBatch.Make(_a, _b, _settings, iteration);

    public IReadOnlyDictionary<string, double> Step(IdentityBatch batch, long iteration)
    {
        Classifier.Train();
        var logits = Classifier.Forward(batch.Faces);                  // (N, 1)
        var loss = Ops.BceWithLogits(logits, batch.Targets);           // mean over the batch
        loss.Backward();
        _optimizer.StepAndZeroGrad();
        int right = 0, plain = 0;
        for (int i = 0; i < batch.Plain.Count; i++)
        {
            if (!batch.Plain[i]) continue;
            plain++;
            if ((logits.Span[i] > 0) == (batch.Targets.Span[i] > 0.5f)) right++;
        }
        return new Dictionary<string, double> { ["loss"] = loss.Item(), ["acc"] = plain == 0 ? 1 : (double)right / plain };
    }

    public string Banner => string.Create(CultureInfo.InvariantCulture,
        $"identity classifier: {Classifier.ParameterCount / 1e3:F0} k parameters, {_a.Count} faces of A, {_b.Count} of B, batch {_settings.BatchSize}, {_settings.Iterations} iterations");
}
