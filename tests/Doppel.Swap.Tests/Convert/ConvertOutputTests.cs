using Doppel.Core;
using Doppel.Media.Files;
using Doppel.Media.Imaging;
using Doppel.Media.Video;
using Doppel.Swap.Convert;
using Doppel.Swap.Convert.Output;
using Doppel.Swap.Models;
using Doppel.Swap.Tests.Support;

namespace Doppel.Swap.Tests.Convert;

/// <summary>
/// The converter's outputs and its batched, threaded pipeline on a real clip (an untrained lite
/// model: these test plumbing, not the quality of a swap): PNG sequences, the side-by-side
/// video, batching that does not change the result, and failures that leave nothing behind.
/// </summary>
public class ConvertOutputTests
{
    private const int Frames = 10;

    private static ConvertOptions Options(string clip, string model, string output) => new() { Input = clip, ModelDir = model, Output = output };

    [Fact]
    public void APngSequenceHasOneFramePerSourceFrame_AndTheSideBySideVideoShowsSourceAndResult()
    {
        using var dir = new TempDir();
        string clip = ConvertFixtures.ClipWithAudio(dir.Path, Frames);
        string model = ConvertFixtures.RandomModel(dir.Sub("model"), OriginalSpec.Lite, "lite");
        string frames = dir.Sub("out/frames"), sideBySide = dir.Sub("out/side_by_side.mp4");

        new ConvertJob(Options(clip, model, frames) with { Format = OutputFormat.Png, SideBySide = sideBySide }, TextWriter.Null)
            { Extractor = ConvertFixtures.Extractor }.Run();

        string[] pngs = Directory.GetFiles(frames, "*.png").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Enumerable.Range(0, Frames).Select(i => $"{i:D6}.png"), pngs.Select(Path.GetFileName));
        VideoInfo source = VideoProbe.Probe(clip), both = VideoProbe.Probe(sideBySide);
        Assert.Equal((2 * source.Width, source.Height), (both.Width, both.Height));
        Assert.Equal(Frames, both.FrameCount);
        Assert.Equal(source.FrameRate.Reduced(), both.FrameRate.Reduced());
        Assert.True(both.HasAudio, "the side-by-side video lost the sound");
        Assert.Empty(Directory.GetFileSystemEntries(dir.Sub("out"), ".*"));

        // Left half: the source frame; right half: the converted frame (as in the PNG), up to H.264's loss.
        using var original = new VideoReader(clip);
        using var combined = new VideoReader(sideBySide);
        foreach (var (a, b) in original.Frames().Zip(combined.Frames()).Take(3))
        {
            RgbImage converted = ImageFile.Read(pngs[(int)a.Index]);
            Assert.True(MeanDifference(a.Image, b.Image, 0) < 3, "the left half is not the source frame");
            // The random model's face is noise, which H.264 keeps less well than a trained face: the
            // right half must be near the converted frame, and nearer to it than to the source.
            double toConverted = MeanDifference(converted, b.Image, source.Width), toSource = MeanDifference(a.Image, b.Image, source.Width);
            Assert.True(toConverted < 4 && toConverted < toSource, $"the right half is not the converted frame (mean difference {toConverted:F2}, to the source {toSource:F2})");
            Assert.True(MeanDifference(a.Image, converted, 0) > 0.2, "the converted frame did not change");
        }
    }

    [Fact]
    public void BatchingAndThreadsDoNotChangeTheResult()
    {
        using var dir = new TempDir();
        string clip = ConvertFixtures.ClipWithAudio(dir.Path, Frames);
        string model = ConvertFixtures.RandomModel(dir.Sub("model"), OriginalSpec.Lite, "lite");
        string one = dir.Sub("one"), many = dir.Sub("many");

        new ConvertJob(Options(clip, model, one) with { Format = OutputFormat.Png, BatchSize = 1, Threads = 1 }, TextWriter.Null)
            { Extractor = ConvertFixtures.Extractor }.Run();
        new ConvertJob(Options(clip, model, many) with { Format = OutputFormat.Png, BatchSize = 4, Threads = 2 }, TextWriter.Null)
            { Extractor = ConvertFixtures.Extractor }.Run();

        for (int i = 0; i < Frames; i++)
        {
            RgbImage a = ImageFile.Read(Path.Combine(one, $"{i:D6}.png")), b = ImageFile.Read(Path.Combine(many, $"{i:D6}.png"));
            // A batch sums the same products in another order inside BLAS; a rounding flip may move a pixel by one level.
            int worst = 0;
            for (int k = 0; k < a.Data.Length; k++) worst = Math.Max(worst, Math.Abs(a.Data[k] - b.Data[k]));
            Assert.True(worst <= 1, $"frame {i}: batch 4 on 2 threads differs from batch 1 by up to {worst} levels");
        }
    }

    [Fact]
    public void ASinkThatFailsMidwayStopsThePipeline_WithItsOwnError()
    {
        using var dir = new TempDir();
        // Long enough that a converter which ignored the failure would run far past what the
        // pipeline may hold in flight (10 frames once let an instant converter finish the clip).
        const int clipFrames = 30;
        string clip = ConvertFixtures.ClipWithAudio(dir.Path, clipFrames);
        using var reader = new VideoReader(clip);
        var failing = new FailingSink(failAt: 5);
        var times = new StageTimes<ConvertStage>();
        int converted = 0;

        var error = Assert.Throws<DoppelException>(() =>
            new VideoPipeline(reader, [failing], batchSize: 2, times).Run(frames => converted += frames.Count, _ => { }, CancellationToken.None));

        Assert.Contains("disk full (test)", error.Message);
        Assert.Equal(5, failing.Written);
        // In flight at most: the writer's failing batch (frames 4-5), two queued batches and the
        // one the converter has finished but cannot hand over: 6 batches of 2 frames.
        Assert.True(converted <= 12, $"the converter kept going after the sink failed ({converted} of {clipFrames} frames converted)");
    }

    [Fact]
    public void CancellingAVideoConversionLeavesNoOutput()
    {
        using var dir = new TempDir();
        string clip = ConvertFixtures.ClipWithAudio(dir.Path, Frames);
        string model = ConvertFixtures.RandomModel(dir.Sub("model"), OriginalSpec.Lite, "lite");
        using var cancel = new CancellationTokenSource();
        // Ctrl-C arrives once the job has announced itself, just before the outputs are opened
        // (a timer would race a fast machine that finishes 10 frames first).
        var job = new ConvertJob(Options(clip, model, dir.Sub("out/converted.mp4")) with { SideBySide = dir.Sub("out/sbs.mp4"), BatchSize = 2 }, new CancelOnFirstLine(cancel))
            { Extractor = ConvertFixtures.Extractor };

        Assert.ThrowsAny<OperationCanceledException>(() => job.Run(cancel.Token));

        Assert.True(!Directory.Exists(dir.Sub("out")) || Directory.GetFileSystemEntries(dir.Sub("out")).Length == 0,
            "files were left: " + string.Join(", ", Directory.Exists(dir.Sub("out")) ? Directory.GetFileSystemEntries(dir.Sub("out")) : []));
    }

    private static double MeanDifference(RgbImage a, RgbImage b, int bOffsetX)
    {
        double sum = 0;
        for (int y = 0; y < a.Height; y++)
        {
            ReadOnlySpan<byte> ra = a.Row(y), rb = b.Row(y).Slice(3 * bOffsetX, 3 * a.Width);
            for (int i = 0; i < ra.Length; i++) sum += Math.Abs(ra[i] - rb[i]);
        }
        return sum / (a.Width * a.Height * 3.0);
    }

    private sealed class CancelOnFirstLine(CancellationTokenSource cancel) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            cancel.Cancel();
        }
    }

    private sealed class FailingSink(int failAt) : IFrameSink
    {
        public int Written { get; private set; }
        public string Path => "(test)";
        public bool WantsSource => false;

        public void Write(RgbImage converted, RgbImage? source)
        {
            if (Written == failAt) throw new DoppelException("disk full (test)");
            Written++;
        }

        public void Complete() { }
        public void Dispose() { }
    }
}
