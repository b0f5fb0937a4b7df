using Doppel.Core;
using Doppel.Faces.Detection;
using Doppel.Faces.Extraction;
using Doppel.Forensics.Model;
using Doppel.Media.Files;
using Doppel.Media.Imaging;
using Doppel.Media.Video;

namespace Doppel.Forensics.Detection;

/// <summary>
/// <c>doppel detect</c>'s engine: for each input, read the sampled frames
/// (<see cref="FrameSampling"/>), find every face with the extractor (BlazeFace, 68 landmarks,
/// alignment), cut the detector's input from each aligned crop (<see cref="DetectorInput"/>),
/// score the faces in batches, group them into tracks (<see cref="FaceTracker"/>) and pool them
/// into a verdict (<see cref="VerdictRule"/>); beside it, check the file's C2PA credentials
/// (<see cref="ProvenanceFinding"/>). Frames are processed in chunks: faces found on all cores
/// at once, then one batched network pass. A file that cannot be read gives an inconclusive
/// verdict naming the problem, so a folder's other files are still checked.
/// </summary>
public sealed class FakeDetection : IDisposable
{
    private readonly FaceExtractor _extractor;
    private readonly bool _ownsExtractor;

    public FakeDetection(DetectorModel model, DetectOptions? options = null, FaceExtractor? extractor = null)
    {
        Model = model;
        Options = options ?? new DetectOptions();
        Options.Validate();
        _ownsExtractor = extractor is null;
        _extractor = extractor ?? NewExtractor();
    }

    public DetectorModel Model { get; }
    public DetectOptions Options { get; }
    public float Threshold => Options.Threshold ?? Model.Threshold;

    /// <summary>An extractor for detect: every face, no size filter (small faces are counted, not dropped), aligned crops.</summary>
    public static FaceExtractor NewExtractor() => new(new FaceExtractorOptions { Faces = FaceSelection.All, MinSize = 0 });

    /// <summary>Time per stage, summed over all inputs and threads (bench detect prints it).</summary>
    public StageTimes<DetectStage> Times { get; } = new();

    /// <summary>Where progress lines go (rate and ETA over frames); null for none.</summary>
    public TextWriter? ProgressOutput { get; init; }

    public InputVerdict Detect(string path, InputKind kind)
    {
        var provenance = ProvenanceFinding.Check(path);
        var tracker = new FaceTracker();
        var counts = new Counts();
        try
        {
            if (kind == InputKind.Image) DetectImage(path, tracker, counts);
            else DetectVideo(path, tracker, counts);
        }
        catch (DoppelException e)
        {
            return Judge(path, kind, provenance, tracker, counts) with
            {
                Verdict = Forensics.Detection.Verdict.Inconclusive, Reason = $"unreadable: {e.Message}", Score = null, DecidingTrack = null,
            };
        }
        return Judge(path, kind, provenance, tracker, counts);
    }

    private InputVerdict Judge(string path, InputKind kind, ProvenanceFinding provenance, FaceTracker tracker, Counts counts)
    {
        int minFrames = kind == InputKind.Image ? 1 : Math.Min(Options.MinTrackFrames, (int)Math.Max(1, counts.FramesRead));
        var (verdict, reason, score, track) = VerdictRule.Decide(tracker.Tracks, counts.SmallFaces, counts.LargestSmall, Options.MinFaceSize, minFrames, Threshold);
        return new InputVerdict
        {
            Path = path, Kind = kind == InputKind.Image ? "image" : "video", Verdict = verdict, Reason = reason, Score = score,
            Threshold = Threshold, ThresholdFpr = Options.Threshold is null ? Model.ThresholdFpr : null, ThresholdFprOn = Model.ThresholdFprMeasuredOn,
            Model = Model.Name, ModelVersion = Model.Version, FramesRead = counts.FramesRead, FramesWithFaces = counts.FramesWithFaces,
            DurationSeconds = counts.Duration, Tracks = tracker.Tracks, DecidingTrack = track, Provenance = provenance,
        };
    }

    private void DetectImage(string path, FaceTracker tracker, Counts counts)
    {
        long started = StageTimes<DetectStage>.Now;
        var image = ImageFile.Read(path);
        Times.AddSince(DetectStage.Decode, started);
        ProcessChunk([new Sampled(0, 0, image)], tracker, counts, PhotoSearch);
    }

    /// <summary>
    /// A photo is searched as doppel extract searches one: the whole image, then overlapping tiles
    /// at finer scales, so the small faces of a group photo are found (and the faces a threshold
    /// was calibrated on, cut by extract, are the faces detect scores). Tiles reach faces of half
    /// the scored size, which are counted as too small rather than missed. Video frames keep the
    /// whole-frame search: tiling every frame would make video many times slower.
    /// </summary>
    private FaceSearch PhotoSearch => FaceSearch.EveryScale(Options.MinFaceSize / 2, allFaces: true);

    private void DetectVideo(string path, FaceTracker tracker, Counts counts)
    {
        var info = VideoProbe.Probe(path);
        counts.Duration = info.Duration.TotalSeconds;
        var sampling = FrameSampling.For(info, Options);
        long expected = sampling.MaxFrames ?? (info.FrameCount + sampling.EveryNth - 1) / sampling.EveryNth;
        using var progress = ProgressOutput is null ? null : new Progress($"detect {System.IO.Path.GetFileName(path)}", expected, "frame", ProgressOutput);
        using var reader = new VideoReader(info, sampling);
        int chunkSize = 4 * Options.Workers;
        var chunk = new List<Sampled>(chunkSize);
        while (true)
        {
            long started = StageTimes<DetectStage>.Now;
            var image = new RgbImage(info.Width, info.Height);
            long index = reader.Read(image);
            Times.AddSince(DetectStage.Decode, started);
            if (index >= 0) chunk.Add(new Sampled(index, index / info.FramesPerSecond, image));
            if (chunk.Count == chunkSize || (index < 0 && chunk.Count > 0))
            {
                ProcessChunk(chunk, tracker, counts);
                progress?.Advance(chunk.Count);
                chunk.Clear();
            }
            if (index < 0) break;
        }
    }

    private sealed record Sampled(long Frame, double Seconds, RgbImage Image);

    private sealed class Counts
    {
        public long FramesRead, FramesWithFaces;
        public int SmallFaces;
        public double LargestSmall;
        public double? Duration;
    }

    /// <summary>Faces of every frame of the chunk in parallel, one batched scoring pass, then tracking in frame order.</summary>
    private void ProcessChunk(IReadOnlyList<Sampled> frames, FaceTracker tracker, Counts counts, FaceSearch? search = null)
    {
        search ??= FaceSearch.WholeFrame;
        var spec = Model.Spec;
        double cropFraction = _extractor.Options.Crop.FaceFraction;
        var found = new List<(ExtractedFace Face, RgbImage Input)>[frames.Count];
        var small = new List<double>[frames.Count];
        Parallel.For(0, frames.Count, new ParallelOptions { MaxDegreeOfParallelism = Options.Workers }, i =>
        {
            long started = StageTimes<DetectStage>.Now;
            var faces = _extractor.Extract(frames[i].Image, search);
            started = Times.AddSince(DetectStage.Faces, started);
            found[i] = [];
            small[i] = [];
            foreach (var face in faces)
            {
                if (face.Detection.Box.Width < Options.MinFaceSize) { small[i].Add(face.Detection.Box.Width); continue; }
                found[i].Add((face, DetectorInput.FromCrop(face.Crop!, cropFraction, spec)));
            }
            Times.AddSince(DetectStage.Crop, started);
        });

        long classifyStarted = StageTimes<DetectStage>.Now;
        var inputs = found.SelectMany(f => f.Select(x => x.Input)).ToList();
        var scores = FaceScorer.Score(Model, inputs, heatmaps: Options.KeepPictures);
        Times.AddSince(DetectStage.Classify, classifyStarted);

        int k = 0;
        for (int i = 0; i < frames.Count; i++)
        {
            counts.FramesRead++;
            if (found[i].Count > 0) counts.FramesWithFaces++;
            counts.SmallFaces += small[i].Count;
            if (small[i].Count > 0) counts.LargestSmall = Math.Max(counts.LargestSmall, small[i].Max());
            var observations = new List<FaceObservation>(found[i].Count);
            foreach (var (face, input) in found[i])
            {
                var s = scores[k++];
                observations.Add(new FaceObservation(frames[i].Frame, frames[i].Seconds, face.Detection.Box, s.Score,
                    Options.KeepPictures ? input : null, s.Heatmap));
            }
            tracker.AddFrame(observations);
        }
    }

    public void Dispose()
    {
        if (_ownsExtractor) _extractor.Dispose();
    }
}
