using System.Diagnostics;
using System.Globalization;
using Doppel.Core;
using Doppel.Faces.Extraction;
using Doppel.Media.Files;
using Doppel.Media.Imaging;
using Doppel.Media.Video;
using Doppel.Swap.Convert.Masks;
using Doppel.Swap.Convert.Output;
using Doppel.Provenance;

namespace Doppel.Swap.Convert;

/// <summary>What a conversion did, and where the time went (stage times are summed over threads).</summary>
public sealed record ConvertSummary(long Frames, long FramesWithFaces, long Faces, TimeSpan Elapsed, StageTimes<ConvertStage> Stages, StageTimes<ExtractStage> Find)
{
    public double FramesPerSecond => Frames / Math.Max(1e-9, Elapsed.TotalSeconds);

    /// <summary>Milliseconds per frame for every stage, pipeline order: decode, detect, landmarks, crop, model, blend, encode.</summary>
    public string StageReport()
    {
        double Ms(TimeSpan t) => t.TotalMilliseconds / Math.Max(1, Frames);
        return string.Create(CultureInfo.InvariantCulture,
            $"decode {Ms(Stages[ConvertStage.Decode]):F2}, detect {Ms(Find[ExtractStage.Detect]):F2}, landmarks {Ms(Find[ExtractStage.Landmarks]):F2}, crop {Ms(Stages[ConvertStage.Crop]):F2}, model {Ms(Stages[ConvertStage.Model]):F2}, blend {Ms(Stages[ConvertStage.Blend]):F2}, encode {Ms(Stages[ConvertStage.Encode]):F2}");
    }
}

/// <summary>
/// <c>doppel convert</c> as a library call: a video (same size, rate and frame count, audio
/// copied; or a PNG sequence), an image, or a folder of images, through
/// <see cref="FrameBatchConverter"/>. Everything cheap is checked before the first frame
/// (input, plugin names, the model), and every output appears only complete
/// (<see cref="SyntheticOutputPolicy"/>): a failure or Ctrl-C leaves no half-written file.
/// </summary>
public sealed class ConvertJob(ConvertOptions options, TextWriter? log = null)
{
    private readonly TextWriter _log = log ?? Console.Out;

    /// <summary>An extractor to share (tests load the landmark model once); created and disposed by the job when null.</summary>
    public FaceExtractor? Extractor { get; init; }

    public ConvertSummary Run(CancellationToken cancel = default)
    {
        string input = options.Input;
        bool folder = Directory.Exists(input);
        if (!folder && !File.Exists(input))
            throw new DoppelException($"input not found: {input}", "pass a video, an image or a folder of images");
        foreach (string output in Outputs())
            if (Path.GetFullPath(input).TrimEnd('/') == Path.GetFullPath(output).TrimEnd('/'))
                throw new DoppelException($"the output {output} is the input", "write the result somewhere else (-o)");
        if (options.SideBySide is { } sbs && Path.GetFullPath(sbs) == Path.GetFullPath(options.Output))
            throw new DoppelException($"--side-by-side {sbs} is also the main output", "give the side-by-side output its own name");
        if (options.BatchSize < 1) throw new DoppelException($"the batch size must be at least 1, got {options.BatchSize}");
        var color = ConvertPlugins.Color.Create(options.Color);
        var blender = ConvertPlugins.Blend.Create(options.Blend);
        var smoother = ConvertPlugins.Smoothing.Create(options.Smoothing);
        var mask = new HullMask(options.ErodePercent, options.FeatherPercent);
        var model = SwapModelFile.Load(options.ModelDir);
        bool learnedMask = LearnedMask.Resolve(options.Mask, model.Model.LearnsMask, model.ModelDir);
        var outputs = options.Sign
            ? SyntheticOutputPolicy.Composite([SyntheticOutputPolicy.Model(model.WeightsPath)], options.Identity)
            : SyntheticOutputPolicy.Unsigned;

        IFaceSource faces;
        FaceExtractor? owned = null;
        if (options.Alignments is { } alignments) faces = AlignmentsFaceSource.Read(alignments);
        else faces = new ExtractorFaceSource(Extractor ?? (owned = new FaceExtractor(FaceExtractorOptions.Default with { MakeCrops = false })));
        try
        {
            var converter = new FrameConverter(new FaceSwapper(model.Model, options.To), new ModelCrop(faces.Crop, model.Coverage), mask, color, blender, learnedMask);
            var batches = new FrameBatchConverter(converter, faces, smoother, options.Threads);
            _log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"convert: {model.State.Settings.Model} model ({model.InputSize} px, iteration {model.State.Iteration}) from {model.ModelDir}, faces -> {options.To}, colour {options.Color}, mask {(learnedMask ? LearnedMask.Learned : LearnedMask.Hull)}, blend {options.Blend}, smoothing {options.Smoothing}"));
            var clock = Stopwatch.StartNew();
            if (folder) ConvertFolder(input, batches, outputs, cancel);
            else if (MediaFormats.IsImage(input) || MediaFormats.IsUndecodableImage(input)) ConvertImage(input, options.Output, options.SideBySide, batches, outputs);
            else ConvertVideo(input, batches, converter.Times, outputs, cancel);
            var summary = new ConvertSummary(batches.Frames, batches.FramesWithFaces, batches.Faces, clock.Elapsed, converter.Times, batches.FindTimes);
            _log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"convert: {summary.Frames} frames ({summary.FramesWithFaces} with faces) in {summary.Elapsed.TotalSeconds:F1} s, {summary.FramesPerSecond:F1} frames/s -> {string.Join(", ", Outputs())}"));
            return summary;
        }
        finally
        {
            owned?.Dispose();
        }
    }

    private IEnumerable<string> Outputs() => options.SideBySide is { } sbs ? [options.Output, sbs] : [options.Output];

    private void ConvertVideo(string input, FrameBatchConverter batches, StageTimes<ConvertStage> times, SyntheticOutputPolicy outputs, CancellationToken cancel)
    {
        VideoInfo info = VideoProbe.Probe(input);
        var read = options.MaxFrames > 0 ? new VideoReadOptions { MaxFrames = options.MaxFrames } : VideoReadOptions.All;
        long total = options.MaxFrames > 0 ? Math.Min(options.MaxFrames, info.FrameCount) : info.FrameCount;
        using var reader = new VideoReader(info, read);
        var sinks = new List<IFrameSink>();
        try
        {
            sinks.Add(options.Format == OutputFormat.Png ? new ImageSequenceSink(options.Output, info.Path, outputs) : new VideoSink(options.Output, info, outputs));
            if (options.SideBySide is { } sbs) sinks.Add(new SideBySideSink(new VideoSink(sbs, info, outputs, widthFactor: 2)));
            using (var progress = new Progress("convert", total, "frame", _log == Console.Out ? null : _log))
                new VideoPipeline(reader, sinks, options.BatchSize, times).Run(frames => batches.Convert(frames, cancel), n => progress.Advance(n), cancel);
            foreach (var sink in sinks) sink.Complete();
        }
        finally
        {
            // An incomplete sink deletes its temporary output here.
            foreach (var sink in sinks) sink.Dispose();
        }
    }

    // A folder is many independent photos: one that cannot be read (corrupt, HEIC) is named with
    // why and skipped, and the others are still converted; only a folder of which none could be
    // converted is an error. (HEIC files are listed so that they are named, not silently passed over.)
    private void ConvertFolder(string input, FrameBatchConverter batches, SyntheticOutputPolicy outputs, CancellationToken cancel)
    {
        var files = Directory.GetFiles(input)
            .Where(f => (MediaFormats.IsImage(f) || MediaFormats.IsUndecodableImage(f)) && !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new DoppelException($"{input} holds no images", $"images are {string.Join(", ", MediaFormats.ImageExtensions)}");
        Directory.CreateDirectory(options.Output);
        if (options.SideBySide is { } sbs) Directory.CreateDirectory(sbs);
        var skipped = new List<string>();
        using (var progress = new Progress("convert", files.Count, "image", _log == Console.Out ? null : _log))
        {
            foreach (string file in files)
            {
                cancel.ThrowIfCancellationRequested();
                batches.ResetTracking(); // stills are unrelated to each other
                string name = MediaFormats.WritableImageName(Path.GetFileName(file));
                try
                {
                    ConvertImage(file, Path.Combine(options.Output, name), options.SideBySide is { } s ? Path.Combine(s, name) : null, batches, outputs);
                }
                catch (DoppelException e)
                {
                    skipped.Add(Path.GetFileName(file));
                    progress.Log($"convert: skipped {Path.GetFileName(file)}: {e.Message}{(e.Hint is { } hint ? $" ({hint})" : "")}");
                }
                progress.Advance();
            }
        }
        if (skipped.Count == files.Count)
            throw new DoppelException($"none of the {files.Count} images in {input} could be converted", "each is named above with the reason");
        if (skipped.Count > 0) _log.WriteLine($"convert: {skipped.Count} of {files.Count} images skipped: {string.Join(", ", skipped)}");
    }

    private static void ConvertImage(string input, string output, string? sideBySide, FrameBatchConverter batches, SyntheticOutputPolicy outputs)
    {
        RgbImage image = ImageFile.Read(input);
        RgbImage? source = sideBySide is null ? null : image.Clone();
        batches.Convert([new SourceFrame(input, 0, image)]);
        outputs.Write(output, file => ImageFile.Write(file, image), input);
        if (sideBySide is not null) outputs.Write(sideBySide, file => ImageFile.Write(file, SideBySideSink.Compose(source!, image)), input);
    }
}
