using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Datasets.FaceSets;
using Doppel.Forensics.Evaluation;
using Doppel.Forensics.Model;
using Doppel.Forensics.SelfBlend;
using Doppel.Training;

namespace Doppel.Forensics.Training;

/// <summary>What <c>doppel detect train</c> was asked to do.</summary>
public sealed record DetectorTrainerOptions
{
    /// <summary>Face sets of real people (doppel extract outputs, with landmarks).</summary>
    public required IReadOnlyList<string> FaceSets { get; init; }

    /// <summary>Face sets of real fakes (e.g. faces extracted from doppel convert outputs); optional.</summary>
    public IReadOnlyList<string> FakeSets { get; init; } = [];

    /// <summary>
    /// Face sets of real people the model never trains on: when given, the threshold is calibrated
    /// on all their faces instead of the held-out faces of the training people, whose scores are
    /// optimistic for anyone else (docs/forensics.md, "Real photos of new people").
    /// </summary>
    public IReadOnlyList<string> CalibrationSets { get; init; } = [];

    public required string RunDir { get; init; }
    public DetectorSettings Settings { get; init; } = new();
    public long Iterations { get; init; }
    public TimeSpan? Duration { get; init; }
    public bool Resume { get; init; }
    public int SaveEvery { get; init; } = 500;
    public int PreviewEvery { get; init; } = 200;

    /// <summary>The model's name in its metadata and in every verdict.</summary>
    public string Name { get; init; } = "doppel-sbi";

    /// <summary>The command line, recorded in the model's JSON so the model can be made again.</summary>
    public string Command { get; init; } = "";

    public TextWriter? Log { get; init; }

    /// <summary>The self-blend recipe (default: <see cref="SelfBlendOptions.Default"/>); its decoder-like share is always <see cref="DetectorSettings.DecoderPaste"/>.</summary>
    public SelfBlendOptions? Blend { get; init; }
}

/// <summary>The session's training result and the model written at its end.</summary>
public sealed record DetectorTrainResult(TrainingResult Training, string ModelPath, JsonObject ModelInfo);

/// <summary>
/// Trains a fake detector end to end: reads the face sets, splits them by time segment
/// (<see cref="TimeSegmentSplit"/>), runs <see cref="DetectorTask"/> on the shared
/// <see cref="TrainingLoop{TBatch}"/>, then calibrates the threshold on the held-out real faces
/// (or on the faces of <see cref="DetectorTrainerOptions.CalibrationSets"/>, people it never saw)
/// so that at most <see cref="DetectorSettings.TargetFpr"/> of them are flagged, and writes
/// <c>RUN/model.safetensors</c> with its JSON (<see cref="DetectorModel"/>).
/// </summary>
public static class DetectorTrainer
{
    public const string ModelFileName = "model.safetensors";

    public static DetectorTrainResult Run(DetectorTrainerOptions options, CancellationToken cancel = default)
    {
        var settings = options.Settings;
        settings.Validate();
        if (options.FaceSets.Count == 0) throw new DoppelException("detect train needs at least one face set of real faces", "pass folders written by doppel extract");
        var log = options.Log ?? Console.Out;
        var split = new TimeSegmentSplit(settings.Seed);
        var train = new List<DetectorFace>();
        var held = new List<DetectorFace>();
        var fakes = new List<DetectorFace>();
        var data = new JsonObject();
        var setsJson = new JsonArray();
        for (int setIndex = 0; setIndex < options.FaceSets.Count; setIndex++)
        {
            var set = FaceSet.Open(options.FaceSets[setIndex]);
            var faces = DetectorFaceLoader.Load(set, settings.Spec, fakes: false, setIndex);
            int before = train.Count, heldBefore = held.Count;
            foreach (var face in faces)
            {
                switch (split.PartOf(face))
                {
                    case SplitPart.Train: train.Add(face); break;
                    case SplitPart.Validation: held.Add(face); break;
                }
            }
            setsJson.Add(new JsonObject { ["path"] = set.Folder, ["faces"] = faces.Count, ["fingerprint"] = set.Fingerprint, ["train"] = train.Count - before, ["heldOut"] = held.Count - heldBefore });
        }
        var fakeJson = new JsonArray();
        foreach (string folder in options.FakeSets)
        {
            var set = FaceSet.Open(folder);
            var faces = DetectorFaceLoader.Load(set, settings.Spec, fakes: true);
            fakes.AddRange(faces);
            fakeJson.Add(new JsonObject { ["path"] = set.Folder, ["faces"] = faces.Count, ["fingerprint"] = set.Fingerprint });
        }
        if (train.Count == 0) throw new DoppelException("no real faces are left for training after the validation split", "give more faces (a longer video or more images)");
        if (held.Count == 0)
            throw new DoppelException("no real faces were held out for calibration",
                $"give at least {5 * split.SegmentFrames} consecutive frames of a video, or five or more images, so whole segments can be held out");
        data["faceSets"] = setsJson;
        data["fakeSets"] = fakeJson;
        data["split"] = new JsonObject { ["segmentFrames"] = split.SegmentFrames, ["gapFrames"] = split.GapFrames, ["heldOut"] = "every 5th segment of each video, every 5th image" };

        var blend = (options.Blend ?? SelfBlendOptions.Default) with
        {
            DecoderPasteProbability = settings.DecoderPaste, DecoderColorMatches = settings.DecoderColors, MinDecoderDownscale = settings.DecoderMinDownscale,
            DecoderContrastProbability = settings.DecoderContrast, PoseJitterProbability = settings.PoseJitter,
        };
        var validation = new DetectorValidation(held, settings.Seed, blend);
        var task = new DetectorTask(settings, train, fakes, validation, data, blend);
        if (options.Iterations > 0)
            task.Optimizer.LearningRateSchedule = new Doppel.Tensors.Optim.CosineAnnealingLr(settings.LearningRate, options.Iterations, settings.LearningRate * 0.05);
        var loop = new TrainingLoop<DetectorBatch>(task, new TrainingLoopOptions
        {
            OutputDir = options.RunDir,
            Iterations = options.Iterations,
            Duration = options.Duration,
            Resume = options.Resume,
            SaveEvery = options.SaveEvery,
            PreviewEvery = options.PreviewEvery,
            Log = options.Log,
            ProgressLabel = "detect train",
        });
        // Read before training, so a wrong folder fails in seconds rather than after the run.
        var calibration = options.CalibrationSets.Count == 0 ? null : CalibrationFaces.Load(options.CalibrationSets, settings.Spec);
        var result = loop.Run(cancel);

        var info = Calibrate(task, held, calibration, settings, options, result);
        string modelPath = Path.Combine(options.RunDir, ModelFileName);
        info = DetectorModel.Save(modelPath, task.Net, info);
        string on = calibration is null ? $"{held.Count} held-out real faces" : $"{calibration.Faces.Count} real faces of people it never trained on";
        log.WriteLine(FormattableString.Invariant(
            $"model: {modelPath} (threshold {info["threshold"]}, flags {((double)info["thresholdFpr"]!) * 100:F1}% of {on}; held-out self-blend AUC {info["validation"]!["auc"]})"));
        return new DetectorTrainResult(result, modelPath, info);
    }

    /// <summary>The threshold at the target false-positive rate on the calibration faces (by default the held-out reals as they are), and the held-out figures.</summary>
    private static JsonObject Calibrate(DetectorTask task, List<DetectorFace> held, CalibrationFaces? calibration, DetectorSettings settings, DetectorTrainerOptions options, TrainingResult result)
    {
        var heldScores = FaceScorer.Score(task.Net, held.Select(f => f.Image).ToList()).Select(s => s.Score).ToList();
        var realScores = calibration is null ? heldScores : FaceScorer.Score(task.Net, calibration.Faces).Select(s => s.Score).ToList();
        float threshold = RocMetrics.ThresholdAtFpr(realScores, settings.TargetFpr);
        var v = task.Validation.Evaluate(task.Net);
        var fakeScores = FaceScorer.Score(task.Net, task.Validation.PairFakes).Select(s => s.Score).ToList();
        return new JsonObject
        {
            ["name"] = options.Name,
            ["threshold"] = threshold,
            ["targetFpr"] = settings.TargetFpr,
            ["thresholdFpr"] = RocMetrics.RateAtOrAbove(realScores, threshold),
            ["calibration"] = calibration is null
                ? FormattableString.Invariant($"held-out real faces as extracted ({held.Count} faces; the threshold is the lowest score that flags at most {settings.TargetFpr * 100:0.##}% of them)")
                : calibration.Calibration(settings.TargetFpr),
            ["heldOutTrainingPeopleFpr"] = RocMetrics.RateAtOrAbove(heldScores, threshold),
            ["calibrationSets"] = calibration?.SetsJson(),
            ["validation"] = new JsonObject
            {
                ["reals"] = v.Reals, ["fakes"] = v.Fakes, ["auc"] = Math.Round(v.Auc, 4), ["accuracyAtHalf"] = Math.Round(v.Accuracy, 4),
                ["detectionAt1PctFpr"] = Math.Round(v.DetectionAt1, 4), ["detectionAt5PctFpr"] = Math.Round(v.DetectionAt5, 4),
                ["detectionAtThreshold"] = Math.Round(RocMetrics.RateAtOrAbove(fakeScores, threshold), 4),
                ["what"] = "held-out real faces (with training's colour, JPEG, flip and pose changes) against their self-blends",
            },
            ["training"] = new JsonObject
            {
                ["command"] = options.Command,
                ["seed"] = settings.Seed,
                ["iterations"] = result.Iteration,
                ["settings"] = task.Settings,
                ["data"] = task.Data,
            },
        };
    }
}
