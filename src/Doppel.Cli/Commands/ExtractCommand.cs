using System.Globalization;
using System.Runtime.InteropServices;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Faces.Alignment;
using Doppel.Faces.Extraction;
using Doppel.Media.Files;

namespace Doppel.Cli.Commands;

/// <summary>
/// <c>doppel extract &lt;video|image|folder&gt;... -o DIR</c>: aligned face crops and
/// alignments.json (docs/formats.md). Parses options and handles Ctrl-C / SIGTERM; the work is
/// <see cref="ExtractJob"/> around <see cref="FaceExtractor"/> in Doppel.Faces, which convert and
/// bench reuse.
/// </summary>
public sealed class ExtractCommand : ICommand
{
    private readonly Option<string?> output;
    private readonly Option<string> faces;
    private readonly Option<int> every, size, maxFrames;
    private readonly Option<double> minSize, minScore;

    public ExtractCommand()
    {
        output = Options.OptionalString("out", "output folder; crops go to DIR/faces/, the record to DIR/alignments.json", "dir");
        Options.ShortAlias('o', output);
        faces = Options.Choice("faces", "largest", ["largest", "all"], "faces to keep per frame");
        every = Options.Int("every", 1, "read every Nth frame of videos", min: 1);
        minSize = Options.Double("min-size", 20, "skip faces whose detection box is smaller than this many pixels; photos are searched down to this size", min: 0);
        minScore = Options.Double("min-score", 0.5, "skip detections scoring below this", min: 0, max: 1);
        size = Options.Int("size", CropGeometry.DefaultSize, "crop size in pixels", min: 16, max: 4096);
        maxFrames = Options.Int("max-frames", 0, "stop each video after this many frames read (0: all)", min: 0);
    }

    public string Name => "extract";
    public string Summary => "Find, align and crop the faces in videos and photos (faces/ and alignments.json)";
    public OptionSet Options { get; } = new("extract", maxPositionals: int.MaxValue);

    public string Usage => $"""
        usage: doppel extract <video|image|folder>... -o DIR [--faces largest|all] [--every N] [--min-size 20] [--min-score 0.5] [--size 256] [--max-frames 0]

        For every frame of every video (or every --every'th), every photo, and the images and
        videos at the top level of each folder: detects faces (BlazeFace), places 68 landmarks
        (dlib's model), aligns them onto Doppel's mean face ({MeanFace.Name}) and writes a
        square crop of --size px to DIR/faces/ (the landmark face spans the central
        {CropGeometry.DefaultFaceFraction:0.##} of it), named SOURCE-HASH_FRAME_FACE.png. DIR/alignments.json records,
        per source and frame, each face's box, score, landmarks, alignment matrix and crop
        (schema: docs/formats.md).

        Which faces: --faces largest (the default) keeps the largest face of each frame, --faces
        all every face; both drop faces whose box is under --min-size px (default 20). Video
        frames are searched whole (BlazeFace sees the frame at 128 px, then 256 px when that finds
        nothing), which finds faces larger than about a sixth of the frame and keeps video quick.
        Photos are searched at every scale: the whole photo through both models, then overlapping
        tiles at finer scales down to faces of --min-size px (a lower --min-size finds smaller
        faces and costs more time), so every face of a group photo is found (docs/detection.md).

        Photos: JPEG, PNG, WebP, BMP and GIF (first frame) are decoded in process and turned
        upright by their EXIF orientation; TIFF, PPM and AVIF go through ffmpeg. HEIC cannot
        be decoded on this machine: such a photo is skipped saying so (convert it to JPEG or PNG). A photo that cannot
        be read (damaged, truncated, empty, or over {ImageFile.MaxPixels / 1_000_000} megapixels by its header) is skipped
        with a line saying why, and the rest go on.

        Rerunning into the same folder replaces the sources extracted again and keeps the
        others. Ctrl-C finishes the current frame and leaves a valid alignments.json of what was
        done (exit code {CliApp.ExitInterrupted}). Frames without a face are counted; no face at all is an error,
        and a run that extracted nothing leaves no output folder behind.
        """ + "\n\n" + Options.Describe();

    public int Run(string[] args)
    {
        ParsedOptions parsed = Options.Parse(args);
        string outDir = parsed.Get(output) ?? throw new DoppelException("extract needs an output folder", "add -o DIR");
        var inputs = ExtractInput.Expand(parsed.Positionals);
        var extractorOptions = new FaceExtractorOptions
        {
            Faces = parsed.Get(faces) == "all" ? FaceSelection.All : FaceSelection.Largest,
            MinSize = parsed.Get(minSize),
            MinScore = (float)parsed.Get(minScore),
            Crop = CropGeometry.Default with { Size = parsed.Get(size) },
        };
        var jobOptions = new ExtractJobOptions
        {
            EveryNth = parsed.Get(every),
            MaxFrames = parsed.Get(maxFrames) is > 0 and var m ? m : null,
            Generator = VersionInfo.Line,
        };

        // Ctrl-C and SIGTERM ask the job to stop after the current frame.
        using var stop = new StopRequest();
        using var extractor = new FaceExtractor(extractorOptions);
        var job = new ExtractJob(extractor, outDir, jobOptions);
        ExtractSummary s = job.Run(inputs, stop.Token);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(s.Interrupted ? "interrupted" : "done")}: {s.Sources} source(s), {s.FramesRead} frames read, {s.FacesFound} faces found, {s.FramesWithoutFace} frames without a face{(s.Unreadable > 0 ? $", {s.Unreadable} unreadable photo(s) skipped" : "")}, {s.FramesPerSecond:0.0} frames/s"));
        Console.Out.WriteLine($"wrote {Path.Combine(Path.GetFullPath(outDir), AlignmentsFile.FileName)}");
        return s.Interrupted ? CliApp.ExitInterrupted : CliApp.ExitOk;
    }
}
