using Doppel.Core;
using Doppel.Datasets.FaceSets;
using Doppel.Swap.Data;
using Doppel.Swap.Models;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;
using Doppel.Training;

namespace Doppel.Swap.Training;

/// <summary>
/// Trains a shared-encoder, two-decoder swap model on two face sets: a <see cref="SwapTask"/> on
/// the shared <see cref="TrainingLoop{TBatch}"/>, which prepares batches ahead, runs one
/// <see cref="MaskedTwoSideStep"/> per iteration, writes the preview, loss.csv (and metrics.csv,
/// metrics.jsonl) as it goes, and saves checkpoints every SaveEvery iterations and whenever the
/// session ends (iterations, time, or cancellation: Ctrl-C). Everything that is checked cheaply
/// (face sets, checkpoint compatibility) is checked before the faces are loaded or a model is
/// built, so a mistake costs seconds, not a training session.
/// </summary>
public sealed class SwapTrainer(TrainerOptions options)
{
    /// <summary>The loss history's file in the model folder: iteration, seconds, loss_a, loss_b.</summary>
    public const string LossFile = "loss.csv";

    private const ulong DiscriminatorSeed = 0x9A7_D15CUL;

    /// <summary>Called after each iteration with (iteration, loss A, loss B); tests use it to interrupt.</summary>
    public Action<long, float, float>? OnIteration { get; init; }

    /// <summary>The settings stored in a model folder's latest checkpoint (so a resume can default to them).</summary>
    public static TrainSettings ReadCheckpointSettings(string modelDir) => new CheckpointStore(modelDir).ReadLatest().State.Settings;

    public TrainResult Run(CancellationToken cancel = default)
    {
        var settings = options.Settings;
        var spec = options.Models.Resolve(settings.Model);
        var store = SwapCheckpoints.Store(options.ModelDir);
        var setA = FaceSet.Open(options.FaceSetA);
        var setB = FaceSet.Open(options.FaceSetB);
        var stampA = new FaceSetStamp(setA.Folder, setA.Fingerprint, setA.Count);
        var stampB = new FaceSetStamp(setB.Folder, setB.Fingerprint, setB.Count);
        var resume = store.OpenForRun(options.Resume);
        if (resume is not null) SwapTask.CheckCompatible(SwapCheckpoints.ToState(resume), settings, spec, stampA, stampB, resume.Dir);

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
        var adam = new Adam(model.Module.NamedParameters(), settings.LearningRate) { LearningRateSchedule = settings.LearningRateSchedule() };
        using var preview = new PreviewWriter(facesA, facesB, options.PreviewFaces, options.ModelDir, options.Timelapse, options.Previews);
        // The discriminator's weights come from the run's seed, so switching GAN power on at a resume starts the same D every time.
        var adversary = settings.GanPower > 0
            ? Doppel.Gan.Training.PatchAdversary.Create(spec.InputSize, 3, settings.LearningRate, new Rng(settings.Seed ^ DiscriminatorSeed))
            : null;
        var task = new SwapTask(settings, spec, model, adam, builder, stampA, stampB, preview, adversary);
        if (options.Timelapse) Directory.CreateDirectory(Path.Combine(options.ModelDir, "previews"));

        var loop = new TrainingLoop<TrainingBatch>(task, new TrainingLoopOptions
        {
            OutputDir = options.ModelDir,
            Iterations = options.Iterations,
            Duration = options.Duration,
            Resume = options.Resume,
            SaveEvery = options.SaveEvery,
            PreviewEvery = options.PreviewEvery,
            SaveAtEnd = options.SaveAtEnd,
            Log = options.Log,
            CsvViews = [new CsvView(LossFile, ["loss_a", "loss_b"], v => ((float)v).ToString("G9", System.Globalization.CultureInfo.InvariantCulture))],
        }, store)
        {
            OnIteration = OnIteration is { } report ? (i, m) => report(i, (float)m["loss_a"], (float)m["loss_b"]) : null,
        };
        var result = loop.Run(resume, cancel);

        var losses = Pairs(result.Metrics, "loss_a", "loss_b");
        return new TrainResult(result.Iteration, result.SessionIterations, Reason(result.Reason), losses, result.ExamplesPerSecond,
            result.CpuSecondsPerStep, builder.Weighted, result.CheckpointDir)
        {
            MaskLosses = settings.LearnMask ? Pairs(result.Metrics, "mask_a", "mask_b") : [],
        };
    }

    // Two metrics of every iteration, as the float pairs TrainResult reports (the step computed floats).
    private static List<(long, float, float)> Pairs(MetricsHistory history, string a, string b)
    {
        var pairs = new List<(long, float, float)>(history.Count);
        for (int i = 0; i < history.Count; i++)
        {
            var row = history.Row(i);
            pairs.Add((history.IterationAt(i), (float)row[a], (float)row[b]));
        }
        return pairs;
    }

    private static StopReason Reason(Doppel.Training.StopReason reason) => reason switch
    {
        Doppel.Training.StopReason.Interrupted => StopReason.Interrupted,
        Doppel.Training.StopReason.Duration => StopReason.Duration,
        _ => StopReason.Iterations,
    };
}
