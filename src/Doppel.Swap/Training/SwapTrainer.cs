using System.Diagnostics;
using System.Globalization;
using Doppel.Core;
using Doppel.Swap.Data;
using Doppel.Swap.Models;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;
using Doppel.Datasets.FaceSets;

namespace Doppel.Swap.Training;

/// <summary>
/// Trains a shared-encoder, two-decoder swap model on two face sets: batches prepared ahead by
/// <see cref="BatchPipeline"/>, one <see cref="MaskedTwoSideStep"/> per iteration, a preview and
/// the loss log as it goes, checkpoints through <see cref="CheckpointStore"/> every SaveEvery
/// iterations and whenever the session ends (iterations, time, or cancellation: Ctrl-C).
/// Everything that is checked cheaply (face sets, checkpoint compatibility) is checked before the
/// faces are loaded or a model is built, so a mistake costs seconds, not a training session.
/// </summary>
public sealed class SwapTrainer(TrainerOptions options)
{
    /// <summary>Called after each iteration with (iteration, loss A, loss B); tests use it to interrupt.</summary>
    public Action<long, float, float>? OnIteration { get; init; }

    /// <summary>The settings stored in a model folder's latest checkpoint (so a resume can default to them).</summary>
    public static TrainSettings ReadCheckpointSettings(string modelDir) => new CheckpointStore(modelDir).ReadLatest().State.Settings;

    public TrainResult Run(CancellationToken cancel = default)
    {
        var settings = options.Settings;
        var spec = options.Models.Resolve(settings.Model);
        var store = new CheckpointStore(options.ModelDir);
        var setA = FaceSet.Open(options.FaceSetA);
        var setB = FaceSet.Open(options.FaceSetB);
        var stampA = new FaceSetStamp(setA.Folder, setA.Fingerprint, setA.Count);
        var stampB = new FaceSetStamp(setB.Folder, setB.Fingerprint, setB.Count);
        (string Dir, CheckpointState State)? resume = null;
        if (options.Resume)
        {
            resume = store.ReadLatest();
            CheckCompatible(resume.Value.State, settings, spec, stampA, stampB, resume.Value.Dir);
        }
        else if (store.Exists)
        {
            throw new DoppelException($"{store.ModelDir} already holds a checkpoint", "add --resume to continue it, or train into another folder (-o)");
        }

        using var log = new TrainLog(options.Log);
        log.Line($"loading faces: A {setA.Count} from {setA.Folder}, B {setB.Count} from {setB.Folder}");
        var facesA = TrainingFaces.Load(setA, spec.InputSize, settings.Coverage);
        var facesB = TrainingFaces.Load(setB, spec.InputSize, settings.Coverage);
        var builder = new BatchBuilder(facesA, facesB, options.Augment, settings.BatchSize, settings.Seed);
        if (!builder.Weighted)
            log.Line("note: " + (facesA.HasMasks ? "face set B" : "face set A") + " has no landmarks for every crop in alignments.json, so the loss is unweighted (no face mask, no eye and mouth emphasis)");

        if (settings.LearnMask && !builder.Weighted)
            throw new DoppelException("--learn-mask needs landmarks for every crop of both face sets: the mask is learned from the landmark hull",
                "re-extract the face sets with doppel extract (it writes landmarks to alignments.json), or train without --learn-mask");
        var model = spec.Create(new Rng(settings.Seed), settings.LearnMask);
        var adam = new Adam(model.Module.NamedParameters(), settings.LearningRate);
        long iteration = 0;
        if (resume is { } r)
        {
            CheckpointStore.LoadTensors(r.Dir, r.State, model.Module.NamedParameters(), adam.State());
            adam.Step = r.State.AdamStep;
            iteration = r.State.Iteration;
            log.Line($"resuming {settings.Model} at iteration {iteration} from {r.Dir}");
        }
        Directory.CreateDirectory(options.ModelDir);
        if (options.Timelapse) Directory.CreateDirectory(Path.Combine(options.ModelDir, "previews"));
        log.Line(string.Create(CultureInfo.InvariantCulture,
            $"training {settings.Model} ({model.ParameterCount / 1e6:F2} M parameters, {spec.InputSize} px, coverage {settings.Coverage}{(settings.LearnMask ? $", learned mask x{settings.MaskWeight}" : "")}), batch {settings.BatchSize} per side, lr {settings.LearningRate}, seed {settings.Seed}"));

        var step = new MaskedTwoSideStep(model, adam, new FaceLoss(settings.DssimWeight, settings.L1Weight), settings.MaskWeight);
        var lossLog = new LossLog(Path.Combine(options.ModelDir, "loss.csv"), append: resume is not null);
        using var preview = new PreviewWriter(facesA, facesB, options.PreviewFaces, options.ModelDir, options.Timelapse, options.Previews);
        using var pipeline = new BatchPipeline(builder, iteration);
        var losses = new List<(long, float, float)>();
        var maskLosses = new List<(long, float, float)>();
        var clock = Stopwatch.StartNew();
        TimeSpan afterFirst = TimeSpan.Zero, cpuAfterFirst = TimeSpan.Zero;
        long startIteration = iteration;
        float lastA = float.NaN, lastB = float.NaN;
        StopReason reason;
        using (var progress = new Progress("train", options.Iterations > 0 ? Math.Max(0, options.Iterations - iteration) : 0, "it", options.Log))
        {
            while (true)
            {
                if (options.Iterations > 0 && iteration >= options.Iterations) { reason = StopReason.Iterations; break; }
                if (options.Duration is { } limit && clock.Elapsed >= limit) { reason = StopReason.Duration; break; }
                if (cancel.IsCancellationRequested) { reason = StopReason.Interrupted; break; }
                TrainingBatch batch;
                try { batch = pipeline.Take(iteration, cancel); }
                catch (OperationCanceledException) { reason = StopReason.Interrupted; break; }
                using (batch) (lastA, lastB) = step.Run(batch);
                var (maskA, maskB) = step.LastMaskLoss;
                if (!float.IsFinite(lastA) || !float.IsFinite(lastB) || (settings.LearnMask && !(float.IsFinite(maskA) && float.IsFinite(maskB))))
                    throw new DoppelException($"the loss became {lastA}/{lastB} at iteration {iteration + 1}; nothing was saved, the last checkpoint is kept",
                        "resume with a lower --lr (or start again with another --seed)");
                iteration++;
                if (iteration == startIteration + 1) (afterFirst, cpuAfterFirst) = (clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime);
                losses.Add((iteration, lastA, lastB));
                if (settings.LearnMask) maskLosses.Add((iteration, maskA, maskB));
                lossLog.Add(iteration, clock.Elapsed.TotalSeconds, lastA, lastB);
                progress.Advance();
                OnIteration?.Invoke(iteration, lastA, lastB);
                bool previewNow = options.PreviewEvery > 0 && iteration % options.PreviewEvery == 0;
                bool saveNow = options.SaveEvery > 0 && iteration % options.SaveEvery == 0;
                if (previewNow) preview.Write(model, iteration);
                if (saveNow) Save(store, settings, spec, model, adam, iteration, stampA, stampB, lastA, lastB);
                if (previewNow || saveNow)
                    progress.Log(Status(iteration, lastA, lastB, Rate(iteration - startIteration, clock.Elapsed, afterFirst), clock.Elapsed, previewNow, saveNow)
                        + (settings.LearnMask ? string.Create(CultureInfo.InvariantCulture, $" (mask A {maskA:F4}, mask B {maskB:F4})") : ""));
            }
        }
        long session = iteration - startIteration;
        double rate = Rate(session, clock.Elapsed, afterFirst);
        // Process CPU time (engine and loader threads) per step after the first: steadier than
        // wall time on a shared machine, and it charges the data path to training.
        double cpuPerStep = session > 1 ? (Process.GetCurrentProcess().TotalProcessorTime - cpuAfterFirst).TotalSeconds / (session - 1) : double.NaN;
        if (session > 0 || !store.Exists)
        {
            preview.Write(model, iteration);
            Save(store, settings, spec, model, adam, iteration, stampA, stampB, lastA, lastB);
        }
        log.Line(reason switch
        {
            StopReason.Interrupted => $"interrupted at iteration {iteration}; checkpoint saved in {store.CurrentDir}; continue with --resume",
            StopReason.Duration => $"time is up at iteration {iteration}; checkpoint saved in {store.CurrentDir}",
            _ => $"reached iteration {iteration}; checkpoint saved in {store.CurrentDir}",
        });
        return new TrainResult(iteration, session, reason, losses, rate * 2 * settings.BatchSize, cpuPerStep, builder.Weighted, store.CurrentDir) { MaskLosses = maskLosses };
    }

    // Steps per second after the first step of the session (which pays for JIT and buffer pools).
    private static double Rate(long steps, TimeSpan elapsed, TimeSpan afterFirst) =>
        steps > 1 ? (steps - 1) / Math.Max(1e-9, (elapsed - afterFirst).TotalSeconds) : steps / Math.Max(1e-9, elapsed.TotalSeconds);

    private string Status(long iteration, float lossA, float lossB, double stepsPerSecond, TimeSpan elapsed, bool preview, bool saved)
    {
        double egs = stepsPerSecond * 2 * options.Settings.BatchSize;
        // Whichever limit comes first: the iteration target at the current rate, or the time limit.
        double remaining = double.PositiveInfinity;
        if (options.Iterations > 0 && stepsPerSecond > 0) remaining = (options.Iterations - iteration) / stepsPerSecond;
        if (options.Duration is { } limit) remaining = Math.Min(remaining, Math.Max(0, (limit - elapsed).TotalSeconds));
        string eta = double.IsFinite(remaining) ? "  eta " + Progress.Duration(TimeSpan.FromSeconds(remaining)) : "";
        string what = (preview ? ", preview" : "") + (saved ? ", checkpoint" : "");
        return string.Create(CultureInfo.InvariantCulture, $"iteration {iteration}: loss A {lossA:F4}, loss B {lossB:F4}, {egs:F1} examples/s{eta}{what}");
    }

    private static void Save(CheckpointStore store, TrainSettings settings, ISwapModelSpec spec, ISwapModel model, Adam adam, long iteration,
        FaceSetStamp a, FaceSetStamp b, float lossA, float lossB) =>
        store.Save(new CheckpointState
        {
            Settings = settings, Spec = spec, Iteration = iteration, AdamStep = adam.Step, FaceSetA = a, FaceSetB = b,
            SavedAt = DateTimeOffset.UtcNow, LastLossA = float.IsFinite(lossA) ? lossA : null, LastLossB = float.IsFinite(lossB) ? lossB : null,
        }, model.Module.NamedParameters(), adam.State());

    private static void CheckCompatible(CheckpointState state, TrainSettings settings, ISwapModelSpec spec, FaceSetStamp a, FaceSetStamp b, string dir)
    {
        if (state.Settings.Model != settings.Model)
            throw new DoppelException($"the checkpoint in {dir} is a '{state.Settings.Model}' model; this run asks for '{settings.Model}'",
                $"resume with --model {state.Settings.Model}, or train the new model into another folder (-o)");
        if (!state.Spec.Equals(spec))
            throw new DoppelException($"the checkpoint in {dir} has a different '{settings.Model}' architecture than this version of Doppel builds",
                "train into a new folder; the layer sizes changed since this checkpoint was written");
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
