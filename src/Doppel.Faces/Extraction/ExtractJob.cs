using System.Diagnostics;
using Doppel.Core;
using Doppel.Media.Files;
using Doppel.Media.Imaging;
using Doppel.Media.Video;

namespace Doppel.Faces.Extraction;

/// <summary>
/// Runs <see cref="FaceExtractor"/> over files and keeps <c>DIR/alignments.json</c> and
/// <c>DIR/faces/</c> in step: what <c>doppel extract</c> does, minus option parsing.
/// Reruns replace: a source extracted again loses its old entry and every crop named after it
/// before its frames are read, and other sources in the file are kept. alignments.json is
/// rewritten atomically every <see cref="ExtractJobOptions.CheckpointFrames"/> frames and at the
/// end (also on cancellation), so the file on disk is always a valid record of finished frames.
/// Frames are extracted in parallel batches (<see cref="ExtractJobOptions.Threads"/>), and PNG
/// encoding runs on its own thread, overlapping detection.
/// </summary>
public sealed class ExtractJob
{
    private readonly FaceExtractor _extractor;
    private readonly ExtractJobOptions _options;
    private readonly string _outputDir;
    private readonly string _facesDir;
    private readonly string _alignmentsPath;

    public ExtractJob(FaceExtractor extractor, string outputDir, ExtractJobOptions? options = null)
    {
        _extractor = extractor;
        _options = options ?? new ExtractJobOptions();
        if (_options.EveryNth < 1) throw new DoppelException($"--every must be at least 1, got {_options.EveryNth}");
        _outputDir = Path.GetFullPath(outputDir);
        _facesDir = Path.Combine(_outputDir, "faces");
        _alignmentsPath = Path.Combine(_outputDir, AlignmentsFile.FileName);
    }

    /// <summary>Where the log lines and progress go; standard output by default.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>Force a plain (non-redrawing) progress display, e.g. in tests.</summary>
    public bool? InteractiveProgress { get; init; }

    /// <summary>
    /// Extracts every input. Cancellation finishes the current frame, writes alignments.json and
    /// returns with <see cref="ExtractSummary.Interrupted"/> set.
    /// </summary>
    /// <exception cref="DoppelException">Unreadable input, or no face in any frame of any input.</exception>
    public ExtractSummary Run(IReadOnlyList<ExtractInput> inputs, CancellationToken cancel = default)
    {
        // Probe every video up front: a bad file among many should fail before hours of work.
        var probed = inputs.Select(i => (Input: i, Info: i.Kind == InputKind.Video ? VideoProbe.Probe(i.Path) : null)).ToList();
        Directory.CreateDirectory(_facesDir);
        AlignmentsDocument document = OpenDocument();
        long total = probed.Sum(p => p.Info is null ? 1 : ExpectedFrames(p.Info));
        var clock = Stopwatch.StartNew();
        long framesRead = 0, facesFound = 0, framesWithoutFace = 0;
        bool interrupted = false;
        using var writer = new CropWriter(_facesDir);
        using (var progress = new Progress("extract", total, "frame", Output, InteractiveProgress))
        {
            try
            {
                foreach (var (input, info) in probed)
                {
                    if (cancel.IsCancellationRequested) { interrupted = true; break; }
                    SourceAlignments source = Replace(document, input, info);
                    long sinceCheckpoint = 0, sourceFaces = 0;
                    foreach (var (index, frame, faces) in Batches(input, info).SelectMany(ExtractAll))
                    {
                        if (source.Width == 0) (source.Width, source.Height) = (frame.Width, frame.Height);
                        var records = new List<FaceAlignment>(faces.Count);
                        for (int f = 0; f < faces.Count; f++)
                        {
                            string? name = faces[f].Crop is null ? null : CropNames.For(input.Path, index, f);
                            if (name is not null) writer.Enqueue(name, faces[f].Crop!);
                            records.Add(ToRecord(faces[f], name));
                        }
                        source.Frames.Add(new FrameAlignments(index, records));
                        framesRead++;
                        facesFound += faces.Count;
                        sourceFaces += faces.Count;
                        if (faces.Count == 0) framesWithoutFace++;
                        progress.Advance();
                        if (++sinceCheckpoint >= _options.CheckpointFrames)
                        {
                            writer.Flush();
                            AlignmentsFile.Write(_alignmentsPath, document);
                            sinceCheckpoint = 0;
                        }
                        if (cancel.IsCancellationRequested) { interrupted = true; break; }
                    }
                    if (interrupted) break;
                    source.Complete = true;
                    if (sourceFaces == 0) progress.Log($"no face found in {input.Path}");
                }
            }
            finally
            {
                // Whatever happened, record the frames whose crops are on disk.
                writer.Flush();
                AlignmentsFile.Write(_alignmentsPath, document);
            }
        }

        var summary = new ExtractSummary(probed.Count, framesRead, facesFound, framesWithoutFace, interrupted, clock.Elapsed);
        if (!interrupted && facesFound == 0)
            throw new DoppelException(
                probed.Count == 1 ? $"no face found in {inputs[0].Path} ({framesRead} frame(s) read)" : $"no face found in any of the {probed.Count} inputs ({framesRead} frames read)",
                "faces must be at least --min-size px and score at least --min-score; try lowering them, or check that the input shows a face");
        return summary;
    }

    private long ExpectedFrames(VideoInfo info)
    {
        long selected = (info.FrameCount + _options.EveryNth - 1) / _options.EveryNth;
        return _options.MaxFrames is { } max ? Math.Min(max, selected) : selected;
    }

    // Frames are read in small batches and extracted in parallel (the extractor is thread-safe):
    // one frame's detection and landmarks cannot use two cores, a batch can. Results come back
    // in frame order; the buffers are reused for the next batch, as nothing keeps a frame.
    private IEnumerable<IReadOnlyList<(long Index, RgbImage Frame)>> Batches(ExtractInput input, VideoInfo? info)
    {
        if (info is null)
        {
            yield return [(0, ImageFile.Read(input.Path))];
            yield break;
        }
        int threads = Math.Max(1, _options.Threads);
        var buffers = Enumerable.Range(0, threads * 2).Select(_ => new RgbImage(info.Width, info.Height)).ToArray();
        using var reader = new VideoReader(info, new VideoReadOptions { EveryNth = _options.EveryNth, MaxFrames = _options.MaxFrames });
        var batch = new List<(long, RgbImage)>(buffers.Length);
        while (true)
        {
            batch.Clear();
            for (long index; batch.Count < buffers.Length && (index = reader.Read(buffers[batch.Count])) >= 0;)
                batch.Add((index, buffers[batch.Count]));
            if (batch.Count == 0) yield break;
            yield return batch;
        }
    }

    private IEnumerable<(long Index, RgbImage Frame, IReadOnlyList<ExtractedFace> Faces)> ExtractAll(IReadOnlyList<(long Index, RgbImage Frame)> batch)
    {
        var faces = new IReadOnlyList<ExtractedFace>[batch.Count];
        if (batch.Count == 1 || _options.Threads <= 1)
            for (int i = 0; i < batch.Count; i++) faces[i] = _extractor.Extract(batch[i].Frame);
        else
            Parallel.For(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.Threads }, i => faces[i] = _extractor.Extract(batch[i].Frame));
        for (int i = 0; i < batch.Count; i++) yield return (batch[i].Index, batch[i].Frame, faces[i]);
    }

    private AlignmentsDocument OpenDocument()
    {
        var geometry = _extractor.Aligner.Geometry;
        var fresh = new AlignmentsDocument
        {
            Generator = _options.Generator,
            CropSize = geometry.Size,
            FaceFraction = geometry.FaceFraction,
            Template = _extractor.Aligner.Template.Name,
            Detector = _extractor.DetectorName,
        };
        if (!File.Exists(_alignmentsPath)) return fresh;
        AlignmentsDocument existing = AlignmentsFile.Read(_alignmentsPath);
        if (existing.Sources.Count == 0) return fresh;
        // Crops of different sizes or templates in one folder would train as if they matched.
        if (existing.CropSize != fresh.CropSize || existing.FaceFraction != fresh.FaceFraction || existing.Template != fresh.Template)
            throw new DoppelException(
                $"{_outputDir} holds faces made with crop size {existing.CropSize}, face fraction {existing.FaceFraction}, template {existing.Template}; this run would make {fresh.CropSize}, {fresh.FaceFraction}, {fresh.Template}",
                "extract into a new folder, or use the same --size");
        existing.Generator = fresh.Generator;
        existing.Detector = fresh.Detector;
        return existing;
    }

    // Drops the source's previous entry and crops (listed or not: an interrupted run may have
    // written crops after its last checkpoint) and adds a fresh, incomplete entry in its place.
    private SourceAlignments Replace(AlignmentsDocument document, ExtractInput input, VideoInfo? info)
    {
        int at = document.Sources.FindIndex(s => s.Path == input.Path);
        if (at >= 0) document.Sources.RemoveAt(at);
        string prefix = CropNames.Prefix(input.Path);
        // Listed first, deleted after: deleting while a directory is being enumerated may skip entries.
        foreach (string old in Directory.GetFiles(_facesDir, prefix + "*.png"))
            File.Delete(old);

        int width = info?.Width ?? 0, height = info?.Height ?? 0;
        var source = new SourceAlignments
        {
            Path = input.Path,
            Kind = input.Kind == InputKind.Video ? "video" : "image",
            Width = width,
            Height = height,
            EveryNth = input.Kind == InputKind.Video ? _options.EveryNth : 1,
        };
        document.Sources.Insert(at >= 0 ? at : document.Sources.Count, source);
        return source;
    }

    private static FaceAlignment ToRecord(ExtractedFace face, string? file)
    {
        var b = face.Detection.Box;
        return new FaceAlignment([b.X, b.Y, b.Width, b.Height], face.Detection.Score,
            face.Landmarks.Select(p => new[] { p.X, p.Y }).ToArray(), face.Matrix.ToRowMajor(), file);
    }
}
