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
/// Video frames are extracted in parallel batches (<see cref="ExtractJobOptions.Threads"/>), and
/// so are runs of consecutive photos, each decoded on the worker that extracts it; PNG encoding
/// runs on its own thread, overlapping detection. A photo that cannot be read is skipped with a
/// line saying why, and the rest go on. Nothing is created until the first face is found: a run
/// that extracts nothing leaves no empty output folder behind.
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
    /// <exception cref="DoppelException">An unreadable video (checked before any work), no photo
    /// readable, or no face in any frame of any input.</exception>
    public ExtractSummary Run(IReadOnlyList<ExtractInput> inputs, CancellationToken cancel = default)
    {
        // Probe every video up front: a bad file among many should fail before hours of work.
        var probed = inputs.Select(i => (Input: i, Info: i.Kind == InputKind.Video ? VideoProbe.Probe(i.Path) : null)).ToList();
        // A folder that already holds a record is kept up to date even when this run finds nothing.
        bool hadRecord = File.Exists(_alignmentsPath);
        AlignmentsDocument document = OpenDocument();
        long total = probed.Sum(p => p.Info is null ? 1 : ExpectedFrames(p.Info));
        var clock = Stopwatch.StartNew();
        long framesRead = 0, facesFound = 0, framesWithoutFace = 0;
        var unreadable = new List<DoppelException>();
        bool interrupted = false;
        using var writer = new CropWriter(_facesDir);
        void Save()
        {
            writer.Flush();
            if (facesFound > 0 || hadRecord) AlignmentsFile.Write(_alignmentsPath, document);
        }
        using (var progress = new Progress("extract", total, "frame", Output, InteractiveProgress))
        {
            try
            {
                long sinceCheckpoint = 0;
                foreach (var unit in Units(probed))
                {
                    if (cancel.IsCancellationRequested) { interrupted = true; break; }
                    foreach (var (input, info, frames) in Extract(unit))
                    {
                        if (frames.Error is { } error)
                        {
                            unreadable.Add(error);
                            progress.Log($"skipped: {error.Message}");
                            progress.Advance();
                            continue;
                        }
                        SourceAlignments source = Replace(document, input, info);
                        long sourceFaces = 0;
                        foreach (var (index, width, height, faces) in frames.Results)
                        {
                            if (source.Width == 0) (source.Width, source.Height) = (width, height);
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
                                Save();
                                sinceCheckpoint = 0;
                            }
                            if (cancel.IsCancellationRequested) { interrupted = true; break; }
                        }
                        if (interrupted) break;
                        source.Complete = true;
                        if (sourceFaces == 0) progress.Log($"no face found in {input.Path}");
                    }
                    if (interrupted) break;
                }
            }
            finally
            {
                // Whatever happened, record the frames whose crops are on disk.
                Save();
            }
        }

        var summary = new ExtractSummary(probed.Count, framesRead, facesFound, framesWithoutFace, interrupted, clock.Elapsed) { Unreadable = unreadable.Count };
        if (!interrupted && facesFound == 0)
        {
            if (unreadable.Count == probed.Count)
            {
                if (unreadable.Count == 1) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(unreadable[0]).Throw();
                throw new DoppelException($"none of the {unreadable.Count} inputs could be read; the first: {unreadable[0].Message}", unreadable[0].Hint);
            }
            throw new DoppelException(
                probed.Count == 1 ? $"no face found in {inputs[0].Path} ({framesRead} frame(s) read)" : $"no face found in any of the {probed.Count} inputs ({framesRead} frames read)",
                "faces must be at least --min-size px and score at least --min-score; try lowering them, or check that the input shows a face");
        }
        return summary;
    }

    /// <summary>One frame's outcome: its number, size and faces (the pixels are not kept).</summary>
    private readonly record struct FrameResult(long Index, int Width, int Height, IReadOnlyList<ExtractedFace> Faces);

    /// <summary>A source's frames, or why it could not be read (photos only: videos are probed up front).</summary>
    private sealed class SourceFrames(IEnumerable<FrameResult> results, DoppelException? error = null)
    {
        public IEnumerable<FrameResult> Results { get; } = results;
        public DoppelException? Error { get; } = error;
    }

    // A video on its own, or a run of consecutive photos small enough to hold their results:
    // photos are extracted a run at a time so that both cores work on different photos.
    private IEnumerable<IReadOnlyList<(ExtractInput Input, VideoInfo? Info)>> Units(List<(ExtractInput Input, VideoInfo? Info)> probed)
    {
        int photosPerRun = Math.Max(1, _options.Threads) * 2;
        var photos = new List<(ExtractInput, VideoInfo?)>();
        foreach (var item in probed)
        {
            if (item.Info is null)
            {
                photos.Add(item);
                if (photos.Count < photosPerRun) continue;
            }
            if (photos.Count > 0)
            {
                yield return photos;
                photos = [];
            }
            if (item.Info is not null) yield return [item];
        }
        if (photos.Count > 0) yield return photos;
    }

    private IEnumerable<(ExtractInput Input, VideoInfo? Info, SourceFrames Frames)> Extract(IReadOnlyList<(ExtractInput Input, VideoInfo? Info)> unit)
    {
        if (unit is [{ Info: { } video } only])
        {
            yield return (only.Input, video, new SourceFrames(Batches(video).SelectMany(ExtractAll)));
            yield break;
        }
        var done = new SourceFrames[unit.Count];
        void ExtractPhoto(int i)
        {
            try
            {
                RgbImage photo = ImageFile.Read(unit[i].Input.Path);
                done[i] = new SourceFrames([new FrameResult(0, photo.Width, photo.Height, _extractor.Extract(photo, photo: true))]);
            }
            catch (DoppelException e)
            {
                done[i] = new SourceFrames([], e);
            }
        }
        if (unit.Count == 1 || _options.Threads <= 1)
            for (int i = 0; i < unit.Count; i++) ExtractPhoto(i);
        else
            Parallel.For(0, unit.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.Threads }, ExtractPhoto);
        for (int i = 0; i < unit.Count; i++) yield return (unit[i].Input, unit[i].Info, done[i]);
    }

    private long ExpectedFrames(VideoInfo info)
    {
        long selected = (info.FrameCount + _options.EveryNth - 1) / _options.EveryNth;
        return _options.MaxFrames is { } max ? Math.Min(max, selected) : selected;
    }

    // Frames are read in small batches and extracted in parallel (the extractor is thread-safe):
    // one frame's detection and landmarks cannot use two cores, a batch can. Results come back
    // in frame order; the buffers are reused for the next batch, as nothing keeps a frame.
    private IEnumerable<IReadOnlyList<(long Index, RgbImage Frame)>> Batches(VideoInfo info)
    {
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

    private IEnumerable<FrameResult> ExtractAll(IReadOnlyList<(long Index, RgbImage Frame)> batch)
    {
        var faces = new IReadOnlyList<ExtractedFace>[batch.Count];
        if (batch.Count == 1 || _options.Threads <= 1)
            for (int i = 0; i < batch.Count; i++) faces[i] = _extractor.Extract(batch[i].Frame);
        else
            Parallel.For(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.Threads }, i => faces[i] = _extractor.Extract(batch[i].Frame));
        for (int i = 0; i < batch.Count; i++) yield return new FrameResult(batch[i].Index, batch[i].Frame.Width, batch[i].Frame.Height, faces[i]);
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
        if (Directory.Exists(_facesDir))
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
