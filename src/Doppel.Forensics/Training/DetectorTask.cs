using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Forensics.Compression;
using Doppel.Forensics.Model;
using Doppel.Forensics.SelfBlend;
using Doppel.Media.Imaging;
using Doppel.Tensors;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;
using Doppel.Training;

namespace Doppel.Forensics.Training;

/// <summary>
/// <c>doppel detect train</c> as a task of the shared trainer: each batch pairs real faces with
/// their self-blends (<see cref="SelfBlendGenerator"/>), or with real fakes from <c>--fake</c>
/// sets, some batches H.264-compressed as a whole; the step trains the score (BCE on the logit)
/// and the blend boundary (BCE on the mask head, weighted by <see cref="DetectorSettings.MaskWeight"/>)
/// with AdamW. Faces are drawn by <see cref="FaceSetSampler"/> (each face set equally often).
/// The preview scores the held-out faces (<see cref="Validation"/>) and draws a grid.
/// </summary>
public sealed class DetectorTask : ITrainingTask<DetectorBatch>
{
    private readonly IReadOnlyList<DetectorFace> _fakes;
    private readonly FaceSetSampler _sampler;
    private readonly SelfBlendGenerator _generator;
    private readonly JsonObject _data;

    public DetectorTask(DetectorSettings settings, IReadOnlyList<DetectorFace> train, IReadOnlyList<DetectorFace> fakes,
        DetectorValidation validation, JsonObject data, SelfBlendOptions? blend = null)
    {
        settings.Validate();
        if (train.Count == 0) throw new ArgumentException("no training faces", nameof(train));
        Config = settings;
        _sampler = new FaceSetSampler(train);
        _fakes = fakes;
        _data = data;
        _generator = new SelfBlendGenerator(blend);
        Validation = validation;
        Net = new FakeDetectorNet(settings.Spec, new Rng(settings.Seed));
        Optimizer = new AdamW(Net.NamedParameters(), settings.LearningRate, weightDecay: settings.WeightDecay);
    }

    public DetectorSettings Config { get; }
    public FakeDetectorNet Net { get; }
    public AdamW Optimizer { get; }
    public DetectorValidation Validation { get; }

    /// <summary>The figures of the last preview's validation; null before the first.</summary>
    public ValidationFigures? LastValidation { get; private set; }

    public string Kind => "detector";
    public string Description => $"fake detector ({Config.Spec.InputSize} px, width {Config.Spec.Width})";
    public IReadOnlyList<(string Name, Module Module)> Modules => [("detector", Net)];
    public IReadOnlyList<(string Name, Optimizer Optimizer)> Optimizers => [("adamw", Optimizer)];
    public int ExamplesPerIteration => 2 * Config.Batch;

    public JsonObject Settings
    {
        get
        {
            var settings = new JsonObject
            {
                ["inputSize"] = Config.Spec.InputSize, ["width"] = Config.Spec.Width, ["faceFraction"] = Config.Spec.FaceFraction,
                ["batch"] = Config.Batch, ["lr"] = Config.LearningRate, ["weightDecay"] = Config.WeightDecay, ["seed"] = Config.Seed,
                ["maskWeight"] = Config.MaskWeight, ["h264"] = Config.H264Probability, ["minCrf"] = Config.MinCrf, ["maxCrf"] = Config.MaxCrf,
                ["realFakeShare"] = Config.RealFakeShare, ["decoderPaste"] = Config.DecoderPaste,
            };
            if (Config.HasDecoderRecipe)
            {
                settings["decoderColors"] = SelfBlend.DecoderColorMatches.Format(Config.DecoderColors);
                settings["decoderMinDownscale"] = Config.DecoderMinDownscale;
                settings["decoderContrast"] = Config.DecoderContrast;
            }
            if (Config.PoseJitter > 0) settings["poseJitter"] = Config.PoseJitter; // only when used, so older checkpoints still resume
            return settings;
        }
    }

    public JsonObject Data => (JsonObject)_data.DeepClone();

    public string Banner => FormattableString.Invariant(
        $"detector: {Net.ParameterCount:N0} parameters, input {Config.Spec.InputSize} px; {_sampler.FaceCount} training faces in {_sampler.SetCount} set(s), each drawn equally often, {_fakes.Count} real fakes; held out: {Validation.Reals.Count} real faces");

    public DetectorBatch MakeBatch(long iteration)
    {
        var rng = new Rng(Config.Seed ^ ((ulong)iteration + 1) * 0x9E3779B97F4A7C15UL);
        int s = Config.Spec.InputSize, m = Config.Spec.MaskSize, n = 2 * Config.Batch;
        var images = new RgbImage[n];
        var targets = new float[n * m * m];
        var weights = new float[n * m * m];
        var labels = new float[n];
        for (int b = 0; b < Config.Batch; b++)
        {
            var face = _sampler.Next(rng);
            var pair = _generator.Make(face.Image, face.Landmarks!, rng);
            images[2 * b] = pair.Real;
            weights.AsSpan(2 * b * m * m, m * m).Fill(1f); // target 0: no seam anywhere
            labels[2 * b + 1] = 1;
            if (_fakes.Count > 0 && rng.NextDouble() < Config.RealFakeShare)
            {
                images[2 * b + 1] = _generator.Augment(_fakes[rng.Next(_fakes.Count)].Image, rng); // seam unknown: weight 0
            }
            else
            {
                images[2 * b + 1] = pair.Fake;
                BoundaryTarget.Write(pair.Weights, s, m, targets.AsSpan((2 * b + 1) * m * m, m * m));
                weights.AsSpan((2 * b + 1) * m * m, m * m).Fill(1f);
            }
        }
        if (Config.H264Probability > 0 && rng.NextDouble() < Config.H264Probability)
        {
            int crf = Config.MinCrf + rng.Next(Config.MaxCrf - Config.MinCrf + 1);
            images = [.. H264RoundTrip.Apply(images, crf)];
        }
        var x = Tensor.Empty(n, s, s, 3).Persist();
        for (int i = 0; i < n; i++) DetectorInput.ToTensor(images[i], x.Span.Slice(i * s * s * 3, s * s * 3));
        return new DetectorBatch(x, Tensor.FromArray(labels, n, 1).Persist(),
            Tensor.FromArray(targets, n, m, m, 1).Persist(), Tensor.FromArray(weights, n, m, m, 1).Persist());
    }

    public IReadOnlyDictionary<string, double> Step(DetectorBatch batch, long iteration)
    {
        var output = Net.Forward(batch.Images);
        var scoreLoss = Ops.BceWithLogits(output.Logits, batch.Labels);
        var maskLoss = Ops.BceWithLogits(output.MaskLogits, batch.MaskTargets, batch.MaskWeights);
        var loss = Config.MaskWeight > 0 ? Ops.Add(scoreLoss, Ops.Mul(maskLoss, Config.MaskWeight)) : scoreLoss;
        loss.Backward();
        Optimizer.StepAndZeroGrad();
        var logits = output.Logits.Span;
        var labels = batch.Labels.Span;
        int right = 0;
        for (int i = 0; i < logits.Length; i++) right += (logits[i] > 0) == (labels[i] > 0.5f) ? 1 : 0;
        return new Dictionary<string, double>
        {
            ["loss"] = loss.Item(), ["score_loss"] = scoreLoss.Item(), ["mask_loss"] = maskLoss.Item(), ["acc"] = (double)right / logits.Length,
        };
    }

    public void WritePreview(string dir, long iteration)
    {
        LastValidation = Validation.Evaluate(Net);
        DetectorPreview.Write(Path.Combine(dir, "preview.png"), Net, Validation);
        string csv = Path.Combine(dir, "validation.csv");
        if (!File.Exists(csv)) File.WriteAllText(csv, "iteration,auc,accuracy,detection_at_1pct_fpr,detection_at_5pct_fpr\n");
        var v = LastValidation;
        File.AppendAllText(csv, string.Create(CultureInfo.InvariantCulture, $"{iteration},{v.Auc:F4},{v.Accuracy:F4},{v.DetectionAt1:F4},{v.DetectionAt5:F4}\n"));
    }

    public string FormatStatus(TrainingStatus status) =>
        LastValidation is { } v ? status.Format() + FormattableString.Invariant($", held-out AUC {v.Auc:F3}") : status.Format();
}
