using System.Collections.Concurrent;
using System.Diagnostics;
using System.Numerics;
using Doppel.Core;
using Doppel.Faces.Detection;
using Doppel.Faces.Extraction;
using Doppel.Faces.Landmarks;
using Doppel.Media.Imaging;
using Doppel.Media.Png;
using Doppel.Media.Video;

namespace Doppel.Cli.Commands.Bench;

/// <summary>
/// Times Doppel's extraction pipeline over a video: decode -> detect -> 68 landmarks ->
/// similarity alignment + crop -> PNG written to a temporary directory (deleted afterwards).
///
/// How it uses the cores: the calling thread decodes (reads ffmpeg's rgb24 pipe into pooled
/// frame buffers) and one worker per core does the per-frame work. Frames are independent, so
/// workers take them in any order; each crop is named by its frame number, so the output is the
/// same as a sequential run. Both queues are bounded, so memory stays at a few frames.
///
/// The per-frame steps call the <see cref="FaceExtractor"/>'s own detector, predictor and
/// aligner one by one, in the order <see cref="FaceExtractor.Extract"/> does, only so each stage
/// can be timed; the warm-up checks that they give exactly what Extract gives.
/// </summary>
internal sealed class ExtractThroughput : IDisposable
{
    /// <summary>CPU nanoseconds per stage, summed over threads.</summary>
    public sealed class StageTimes
    {
        public long Decode, Detect, Landmarks, AlignCrop, Png;

        public void Add(StageTimes o)
        {
            Decode += o.Decode;
            Detect += o.Detect;
            Landmarks += o.Landmarks;
            AlignCrop += o.AlignCrop;
            Png += o.Png;
        }
    }

    public sealed record Result(
        int Frames, int FramesWithFace, int Workers, string Detector,
        double WallSeconds, double CpuSeconds, StageTimes StageCpu,
        int Gen0Collections, int Gen2Collections, double GcPauseSeconds)
    {
        public double FramesPerSecond => Frames / WallSeconds;
        public double CpuMsPerFrame => 1000 * CpuSeconds / Frames;
    }

    // Crops are regenerable, so by default they are written atomically but without fsync, the
    // way AtomicFile's optional fsync is meant for them (dlib's save_png does not fsync either);
    // fsync: true measures the durable write instead.
    private readonly PngWriteOptions _cropPng;

    private readonly FaceExtractor _extractor;
    private readonly IFaceDetector _detector;
    private readonly LandmarkPredictor _predictor;

    public ExtractThroughput(bool fsync = false)
    {
        _cropPng = PngWriteOptions.Default with { Durable = fsync };
        // Models load here, before any clock starts: loading is setup, as in the dlib peer.
        var options = FaceExtractorOptions.Default;
        _predictor = LandmarkPredictor.Load();
        _detector = FaceDetectorRegistry.Create(options.Detector, new FaceDetectorSettings { MinScore = options.MinScore });
        _extractor = new FaceExtractor(options, _detector, _predictor);
    }

    public string DetectorName => _detector.Name;

    public Result Run(VideoInfo video, int frames, int workers, int warmup)
    {
        string dir = Directory.CreateTempSubdirectory("doppel-bench-extract-").FullName;
        try
        {
            WarmUp(video, warmup, dir);
            return Timed(video, frames, workers, dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// JIT tiering and ONNX Runtime's first runs are not what a long extraction pays per frame,
    /// so the first frame goes through the pipeline a few times untimed. It also checks the
    /// stage-by-stage path against <see cref="FaceExtractor.Extract"/>, so the benchmark cannot
    /// drift from what <c>doppel extract</c> runs.
    /// </summary>
    private void WarmUp(VideoInfo video, int warmup, string dir)
    {
        using var reader = new VideoReader(video, new VideoReadOptions { MaxFrames = 1 });
        var frame = new RgbImage(video.Width, video.Height);
        if (reader.Read(frame) < 0) throw new DoppelException($"{video.Path} has no frames");
        var scratch = new StageTimes();
        for (int i = 0; i < warmup; i++) ProcessFrame(0, frame, scratch, dir, returnFrame: null);

        var reference = _extractor.Extract(frame);
        var mine = Stages(frame);
        bool same = reference.Count == 0
            ? mine is null
            : mine is { } m && m.Matrix == reference[0].Matrix && m.Landmarks.AsSpan().SequenceEqual(reference[0].Landmarks);
        if (!same)
            throw new InvalidOperationException("bench extract's stage-by-stage pipeline no longer matches FaceExtractor.Extract; update ExtractThroughput");
    }

    private Result Timed(VideoInfo video, int frames, int workers, string dir)
    {
        // Enough buffers that the decoder can run ahead of every worker by one frame.
        var free = new BlockingCollection<RgbImage>();
        for (int i = 0; i < 2 * workers + 2; i++) free.Add(new RgbImage(video.Width, video.Height));
        var work = new BlockingCollection<(long Index, RgbImage Frame)>(boundedCapacity: workers + 1);
        var perWorker = new StageTimes[workers];
        var faces = new int[workers];
        using var cancel = new CancellationTokenSource();
        Exception? failure = null;

        var process = Process.GetCurrentProcess();
        TimeSpan cpuStart = process.TotalProcessorTime;
        // GC figures explain most of the CPU that no stage accounts for (crops and PNG buffers
        // are large-object-heap allocations, one set per frame).
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        TimeSpan pauseStart = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();

        var threads = new Thread[workers];
        for (int w = 0; w < workers; w++)
        {
            int id = w;
            perWorker[id] = new StageTimes();
            threads[w] = new Thread(() =>
            {
                try
                {
                    foreach (var (index, frame) in work.GetConsumingEnumerable(cancel.Token))
                        faces[id] += ProcessFrame(index, frame, perWorker[id], dir, f => free.Add(f));
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested) { }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                    cancel.Cancel(); // unblocks the decoder and the other workers
                }
            }) { Name = $"bench extract worker {w}", IsBackground = true };
            threads[w].Start();
        }

        var decode = new StageTimes();
        int decoded = 0;
        try
        {
            using var reader = new VideoReader(video, new VideoReadOptions { MaxFrames = frames });
            while (true)
            {
                RgbImage buffer = free.Take(cancel.Token);
                long t0 = ThreadCpuClock.Nanoseconds();
                long index = reader.Read(buffer);
                decode.Decode += ThreadCpuClock.Nanoseconds() - t0;
                if (index < 0) break;
                work.Add((index, buffer), cancel.Token);
                decoded++;
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested) { }
        finally
        {
            work.CompleteAdding();
            foreach (var t in threads) t.Join();
        }
        clock.Stop();
        double cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        if (decoded == 0) throw new DoppelException($"{video.Path} gave no frames");

        foreach (var t in perWorker) decode.Add(t);
        return new Result(decoded, faces.Sum(), workers, _detector.Name, clock.Elapsed.TotalSeconds, cpu, decode,
            GC.CollectionCount(0) - gen0, GC.CollectionCount(2) - gen2, (GC.GetTotalPauseDuration() - pauseStart).TotalSeconds);
    }

    private sealed record StageOutput(FaceDetection Detection, Vector2[] Landmarks, Doppel.Media.Geometry.AffineMatrix Matrix);

    /// <summary>One frame, stage by stage; returns the number of crops written (0 or 1).</summary>
    private int ProcessFrame(long index, RgbImage frame, StageTimes t, string dir, Action<RgbImage>? returnFrame)
    {
        long a = ThreadCpuClock.Nanoseconds();
        FaceDetection? face = Largest(_detector.Detect(frame));
        long b = ThreadCpuClock.Nanoseconds();
        t.Detect += b - a;
        if (face is null)
        {
            returnFrame?.Invoke(frame);
            return 0;
        }
        Vector2[] landmarks = _predictor.Predict(LandmarkImage.Of(frame), LandmarkBox.For(face.Box));
        long c = ThreadCpuClock.Nanoseconds();
        var matrix = _extractor.Aligner.Align(landmarks);
        RgbImage crop = _extractor.Aligner.Crop(frame, matrix);
        long d = ThreadCpuClock.Nanoseconds();
        // The crop is a copy, so the frame buffer can go back to the decoder before the PNG.
        returnFrame?.Invoke(frame);
        PngWriter.Write(Path.Combine(dir, $"{index:D6}.png"), crop, _cropPng);
        long e = ThreadCpuClock.Nanoseconds();
        t.Landmarks += c - b;
        t.AlignCrop += d - c;
        t.Png += e - d;
        return 1;
    }

    /// <summary>The same stages without timing or writing, for the check against Extract.</summary>
    private StageOutput? Stages(RgbImage frame)
    {
        FaceDetection? face = Largest(_detector.Detect(frame));
        if (face is null) return null;
        Vector2[] landmarks = _predictor.Predict(LandmarkImage.Of(frame), LandmarkBox.For(face.Box));
        return new StageOutput(face, landmarks, _extractor.Aligner.Align(landmarks));
    }

    /// <summary>FaceExtractor's selection with its default "largest face": score and size filters, then the largest box.</summary>
    private FaceDetection? Largest(IReadOnlyList<FaceDetection> detections)
    {
        var o = _extractor.Options;
        FaceDetection? best = null;
        foreach (var d in detections)
        {
            if (d.Score < o.MinScore || d.Box.Width < o.MinSize || d.Box.Height < o.MinSize) continue;
            if (best is null || d.Box.Area > best.Box.Area) best = d;
        }
        return best;
    }

    public void Dispose()
    {
        _extractor.Dispose();
        _detector.Dispose();
    }
}
