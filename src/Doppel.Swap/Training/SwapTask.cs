using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Gan.Training;
using Doppel.Swap.Data;
using Doppel.Swap.Models;
using Doppel.Tensors;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;
using Doppel.Training;

namespace Doppel.Swap.Training;

/// <summary>
/// Swap training as a task of the shared loop: batches from <see cref="BatchBuilder"/> (seeded
/// by seed, iteration and side), one <see cref="MaskedTwoSideStep"/> per iteration reporting
/// loss_a and loss_b (and mask_a, mask_b with the learned mask), the preview grid, and the swap
/// checkpoint's sections (<see cref="SwapCheckpoints"/>). The messages are the swap trainer's
/// own: the resume refusals, the banner and the status line. With --gan-power the patch
/// discriminator and its Adam are two more checkpoint entries ("discriminator", "optimizer_d"),
/// which a checkpoint of a run without them may lack (the resume that switches GAN power on),
/// and the metrics gain g_adv, d_loss, d_real and d_fake.
/// </summary>
internal sealed class SwapTask : ITrainingTask<TrainingBatch>
{
    private readonly ISwapModel _model;
    private readonly Adam _adam;
    private readonly TrainSettings _settings;
    private readonly ISwapModelSpec _spec;
    private readonly FaceSetStamp _a, _b;
    private readonly BatchBuilder _builder;
    private readonly MaskedTwoSideStep _step;
    private readonly PreviewWriter _preview;
    private readonly PatchAdversary? _adversary;

    /// <param name="adversary">The patch discriminator when <see cref="TrainSettings.GanPower"/> is above 0, else null.</param>
    public SwapTask(TrainSettings settings, ISwapModelSpec spec, ISwapModel model, Adam adam, BatchBuilder builder, FaceSetStamp a, FaceSetStamp b, PreviewWriter preview,
        PatchAdversary? adversary = null)
    {
        (_settings, _spec, _model, _adam, _builder, _a, _b, _preview, _adversary) = (settings, spec, model, adam, builder, a, b, preview, adversary);
        _step = new MaskedTwoSideStep(model, adam, new FaceLoss(settings.DssimWeight, settings.L1Weight), settings.MaskWeight, settings.Precision, adversary, settings.GanPower);
        _preview.Adversary = adversary;
    }

    public string Kind => SwapCheckpoints.Kind;
    public string Description => _settings.Model;

    public IReadOnlyList<(string Name, Module Module)> Modules => _adversary is null
        ? [(SwapCheckpoints.ModelName, _model.Module)]
        : [(SwapCheckpoints.ModelName, _model.Module), (SwapCheckpoints.DiscriminatorName, _adversary.Discriminator)];

    public IReadOnlyList<(string Name, Optimizer Optimizer)> Optimizers => _adversary is null
        ? [(SwapCheckpoints.OptimizerName, _adam)]
        : [(SwapCheckpoints.OptimizerName, _adam), (SwapCheckpoints.DiscriminatorOptimizerName, _adversary.Optimizer)];

    /// <summary>A model trained without GAN power has no discriminator in its checkpoint; switching it on at a resume starts a fresh one.</summary>
    public IReadOnlySet<string> AddableOnResume { get; } = new HashSet<string> { SwapCheckpoints.DiscriminatorName, SwapCheckpoints.DiscriminatorOptimizerName };
    public JsonObject Settings => SwapCheckpoints.Section(_settings);
    public JsonObject Data => SwapCheckpoints.Section(new SwapRunData(_a, _b));
    public int ExamplesPerIteration => 2 * _settings.BatchSize;

    public JsonObject? SaveExtra() => SwapCheckpoints.Section(new SwapRunExtra(_spec, BatchBuilder.SeedScheme));

    public void CheckResume(SavedCheckpoint saved) => CheckCompatible(SwapCheckpoints.ToState(saved), _settings, _spec, _a, _b, saved.Dir);

    public TrainingBatch MakeBatch(long iteration) => _builder.Build(iteration);

    public IReadOnlyDictionary<string, double> Step(TrainingBatch batch, long iteration)
    {
        var (lossA, lossB) = _step.Run(batch);
        var metrics = new Dictionary<string, double> { ["loss_a"] = lossA, ["loss_b"] = lossB };
        if (_settings.LearnMask)
        {
            var (maskA, maskB) = _step.LastMaskLoss;
            metrics["mask_a"] = maskA;
            metrics["mask_b"] = maskB;
        }
        if (_adversary is not null)
        {
            var adv = _step.LastAdversarial;
            metrics["g_adv"] = adv.Generator;
            metrics["d_loss"] = adv.DiscriminatorLoss;
            metrics["d_real"] = adv.DiscriminatorReal;
            metrics["d_fake"] = adv.DiscriminatorFake;
        }
        return metrics;
    }

    public void WritePreview(string dir, long iteration) => _preview.Write(_model, iteration);

    public string Banner => string.Create(CultureInfo.InvariantCulture,
        $"training {_settings.Model} ({_model.ParameterCount / 1e6:F2} M parameters, {_spec.InputSize} px, coverage {_settings.Coverage}{(_settings.LearnMask ? $", learned mask x{_settings.MaskWeight}" : "")}{(_adversary is { } d ? $", GAN power {_settings.GanPower} with a {d.Discriminator.ReceptiveField} px patch discriminator ({d.Discriminator.ParameterCount / 1e3:F0} k parameters)" : "")}), batch {_settings.BatchSize} per side, lr {_settings.DescribeSchedule()}, seed {_settings.Seed}, {MatMulPrecision.Name(_settings.Precision)}");

    public string FormatStatus(TrainingStatus s) =>
        string.Create(CultureInfo.InvariantCulture, $"iteration {s.Iteration}: loss A {s.Metrics["loss_a"]:F4}, loss B {s.Metrics["loss_b"]:F4}, {s.ExamplesPerSecond:F1} examples/s{s.EtaText}{s.EventsText}")
        + (_settings.LearnMask ? string.Create(CultureInfo.InvariantCulture, $" (mask A {s.Metrics["mask_a"]:F4}, mask B {s.Metrics["mask_b"]:F4})") : "")
        + (_adversary is not null ? string.Create(CultureInfo.InvariantCulture, $" (G adversarial {s.Metrics["g_adv"]:F4}, D loss {s.Metrics["d_loss"]:F4}, D(real) {s.Metrics["d_real"]:F3}, D(reconstruction) {s.Metrics["d_fake"]:F3})") : "");

    public string DivergenceHint => "resume with a lower --lr (or start again with another --seed)";

    /// <summary>Refuses a checkpoint of another model, architecture, settings or face sets, naming what differs.</summary>
    public static void CheckCompatible(CheckpointState state, TrainSettings settings, ISwapModelSpec spec, FaceSetStamp a, FaceSetStamp b, string dir)
    {
        if (state.Settings.Model != settings.Model)
            throw new DoppelException($"the checkpoint in {dir} is a '{state.Settings.Model}' model; this run asks for '{settings.Model}'",
                $"resume with --model {state.Settings.Model}, or train the new model into another folder (-o)");
        if (!state.Spec.Equals(spec))
            throw new DoppelException($"the checkpoint in {dir} has a different '{settings.Model}' architecture than this version of Doppel builds",
                "train into a new folder; the layer sizes changed since this checkpoint was written");
        if (state.Settings.GanPower > 0 && settings.GanPower <= 0)
            throw new DoppelException(FormattableString.Invariant($"the checkpoint in {dir} trains with a discriminator (--gan-power {state.Settings.GanPower}); it cannot be switched off"),
                "resume with --gan-power above 0 (a small value such as 0.01 nearly switches it off), or train a new model folder (-o)");
        var diffs = settings.DifferencesFrom(state.Settings).ToList();
        if (diffs.Count > 0)
            throw new DoppelException($"resuming would change the run's settings ({string.Join("; ", diffs)})",
                "leave those options out to keep the checkpoint's values, or train into another folder (-o)");
        CheckFaceSet("A", state.FaceSetA, a);
        CheckFaceSet("B", state.FaceSetB, b);
    }

    private static void CheckFaceSet(string side, FaceSetStamp trained, FaceSetStamp now)
    {
        if (trained.Fingerprint == now.Fingerprint) return;
        throw new DoppelException(
            $"face set {side} is not the one this model was trained on (trained: {trained.Path}, {trained.Count} faces; now: {now.Path}, {now.Count} faces)",
            $"resume with the same --{side.ToLowerInvariant()} face set; to train on other faces, start a new model folder (-o)");
    }
}
