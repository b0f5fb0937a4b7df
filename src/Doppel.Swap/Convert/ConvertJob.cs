using System.Diagnostics;
using System.Globalization;
using Doppel.Core;
using Doppel.Faces.Extraction;
using Doppel.Media.Files;
using Doppel.Media.Imaging;
using Doppel.Media.Video;
using Doppel.Swap.Convert.Masks;
using Doppel.Swap.Convert.Smoothing;

namespace Doppel.Swap.Convert;

/// <summary>What a conversion did.</summary>
public sealed record ConvertSummary(long Frames, long FramesWithFaces, long Faces, TimeSpan Elapsed, StageTimes Stages, TimeSpan Detect)
{
    public double FramesPerSecond => Frames / Math.Max(1e-9, Elapsed.TotalSeconds);
}

/// <summary>
/// <c>doppel convert</c> as a library call: a video (frame by frame, same size, rate and frame
/// count, audio copied), an image, or a folder of images, through <see cref="FrameConverter"/>.
/// Everything cheap is checked before the first frame (input, plugin names, the model), and the
/// output appears only complete (<see cref="OutputFinaliser"/>): a failure or Ctrl-C leaves no
/// half-written file. Only the largest face is tracked by the smoother; others are swapped unsmoothed.
/// </summary>
public sealed class ConvertJob(ConvertOptions options, TextWriter? log = null)
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
        { ".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff" };

    private readonly TextWriter _log = log ?? Console.Out;

    /// <summary>An extractor to share (tests load the landmark model once); created and disposed by the job when null.</summary>
    public FaceExtractor? Extractor { get; init; }

    public ConvertSummary Run(CancellationToken cancel = default)
    {
        string input = options.Input;
        bool folder = Directory.Exists(input);
        if (!folder && !File.Exists(input))
            throw new DoppelException($"input not found: {input}", "pass a video, an image or a folder of images");
        if (Path.GetFullPath(input).TrimEnd('/') == Path.GetFullPath(options.Output).TrimEnd('/'))
            throw new DoppelException($"the output {options.Output} is the input", "write the result somewhere else (-o)");
        var color = ConvertPlugins.Color.Create(options.Color);
        var blender = ConvertPlugins.Blend.Create(options.Blend);
        var smoother = ConvertPlugins.Smoothing.Create(options.Smoothing);
        var mask = new HullMask(options.ErodePercent, options.FeatherPercent);
        var model = SwapModelFile.Load(options.ModelDir);
        bool learnedMask = LearnedMask.Resolve(options.Mask, model.Model.LearnsMask, model.ModelDir);

        IFaceSource faces;
        FaceExtractor? owned = null;
        if (options.Alignments is { } alignments) faces = AlignmentsFaceSource.Read(alignments);
        else faces = new ExtractorFaceSource(Extractor ?? (owned = new FaceExtractor(FaceExtractorOptions.Default with { MakeCrops = false })));
        try
        {
            var converter = new FrameConverter(new FaceSwapper(model.Model, options.To), new ModelCrop(faces.Crop, model.Coverage), mask, color, blender, learnedMask);
            _log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"convert: {model.State.Settings.Model} model ({model.InputSize} px, iteration {model.State.Iteration}) from {model.ModelDir}, faces -> {options.To}, colour {options.Color}, mask {(learnedMask ? LearnedMask.Learned : LearnedMask.Hull)}, blend {options.Blend}, smoothing {options.Smoothing}"));
            var run = new RunState(converter, faces, smoother);
            if (folder) ConvertFolder(input, run, cancel);
            else if (ImageExtensions.Contains(Path.GetExtension(input))) ConvertImage(input, options.Output, run);
            else ConvertVideo(input, run, cancel);
            var summary = new ConvertSummary(run.Frames, run.FramesWithFaces, run.Faces, run.Clock.Elapsed, converter.Times, run.Detect);
            _log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"convert: {summary.Frames} frames ({summary.FramesWithFaces} with faces) in {summary.Elapsed.TotalSeconds:F1} s, {summary.FramesPerSecond:F1} frames/s -> {options.Output}"));
            return summary;
        }
        finally
        {
            owned?.Dispose();
        }
    }

    private void ConvertVideo(string input, RunState run, CancellationToken cancel)
    {
        VideoInfo info = VideoProbe.Probe(input);
        var read = options.MaxFrames > 0 ? new VideoReadOptions { MaxFrames = options.MaxFrames } : VideoReadOptions.All;
        long total = options.MaxFrames > 0 ? Math.Min(options.MaxFrames, info.FrameCount) : info.FrameCount;
        using var reader = new VideoReader(info, read);
        // Disposed without Finish (an exception, cancellation) the writer deletes its temporary file.
        using var writer = VideoWriter.ForSource(options.Output, info);
        using (var progress = new Progress("convert", total, "frame", _log == Console.Out ? null : _log))
        {
            foreach (VideoFrame frame in reader.Frames())
            {
                cancel.ThrowIfCancellationRequested();
                run.Convert(input, frame.Index, frame.Image);
                writer.Write(frame.Image);
                progress.Advance();
            }
        }
        OutputFinaliser.Finish(writer);
    }

    private void ConvertFolder(string input, RunState run, CancellationToken cancel)
    {
        var files = Directory.GetFiles(input).Where(f => ImageExtensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new DoppelException($"{input} holds no images", $"images are {string.Join(", ", ImageExtensions)}");
        Directory.CreateDirectory(options.Output);
        using var progress = new Progress("convert", files.Count, "image", _log == Console.Out ? null : _log);
        foreach (string file in files)
        {
            cancel.ThrowIfCancellationRequested();
            run.Smoother.Reset(); // stills are unrelated to each other
            ConvertImage(file, Path.Combine(options.Output, Path.GetFileName(file)), run);
            progress.Advance();
        }
    }

    private static void ConvertImage(string input, string output, RunState run)
    {
        RgbImage image = ImageFile.Read(input);
        run.Convert(input, 0, image);
        OutputFinaliser.Finish(output, image);
    }

    /// <summary>Per-run state: the face source, the smoother and the counters.</summary>
    private sealed class RunState(FrameConverter converter, IFaceSource faces, IMatrixSmoother smoother)
    {
        public IMatrixSmoother Smoother => smoother;
        public Stopwatch Clock { get; } = Stopwatch.StartNew();
        public long Frames, FramesWithFaces, Faces;
        public TimeSpan Detect;

        public void Convert(string source, long index, RgbImage frame)
        {
            long t0 = Stopwatch.GetTimestamp();
            var found = faces.Faces(source, index, frame);
            Detect += Stopwatch.GetElapsedTime(t0);
            Frames++;
            if (found.Count == 0)
            {
                smoother.Reset(); // the face was lost: do not drag an old position into the next one
                return;
            }
            FramesWithFaces++;
            for (int i = 0; i < found.Count; i++)
            {
                var matrix = i == 0 ? smoother.Next(found[i].SourceToCrop) : found[i].SourceToCrop;
                converter.Swap(frame, found[i].Landmarks, matrix);
                Faces++;
            }
        }
    }
}
