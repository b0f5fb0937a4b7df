using System.Numerics;
using Doppel.Core;
using Doppel.Faces.Alignment;
using Doppel.Faces.Extraction;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;

namespace Doppel.Swap.Convert;

/// <summary>A face to swap: 68 landmarks and the alignment (source pixel -> crop pixel), in source pixels.</summary>
public sealed record FaceToSwap(Vector2[] Landmarks, AffineMatrix SourceToCrop);

/// <summary>Where a frame's faces come from: detected now, or read from an earlier extract's alignments.json.</summary>
public interface IFaceSource
{
    /// <summary>The crop geometry the matrices refer to.</summary>
    CropGeometry Crop { get; }

    /// <summary>The faces of frame <paramref name="index"/> of <paramref name="source"/>, largest first. Thread-safe.</summary>
    /// <param name="times">Where detection and landmark time is added, when measured.</param>
    IReadOnlyList<FaceToSwap> Faces(string source, long index, RgbImage frame, StageTimes<ExtractStage>? times = null);
}

/// <summary>Detect -> landmarks -> align with the shared <see cref="FaceExtractor"/>, crops off (the converter cuts its own square).</summary>
public sealed class ExtractorFaceSource(FaceExtractor extractor) : IFaceSource
{
    public CropGeometry Crop => extractor.Options.Crop;

    public IReadOnlyList<FaceToSwap> Faces(string source, long index, RgbImage frame, StageTimes<ExtractStage>? times = null) =>
        extractor.Extract(frame, times).Select(f => new FaceToSwap(f.Landmarks, f.Matrix)).ToList();
}

/// <summary>
/// Faces from alignments.json: matched to the input by absolute path, then by file name. A frame
/// the file does not list (extracted with --every N, or interrupted) is an error rather than a
/// silent pass-through, because the user asked for these alignments.
/// </summary>
public sealed class AlignmentsFaceSource(AlignmentsDocument document, string path) : IFaceSource
{
    private readonly Dictionary<string, Dictionary<long, FrameAlignments>> _bySource = [];

    public CropGeometry Crop { get; } = new() { Size = document.CropSize, FaceFraction = document.FaceFraction };

    public static AlignmentsFaceSource Read(string path) => new(AlignmentsFile.Read(path), path);

    public IReadOnlyList<FaceToSwap> Faces(string source, long index, RgbImage frame, StageTimes<ExtractStage>? times = null)
    {
        var frames = FramesOf(source);
        if (!frames.TryGetValue(index, out var entry))
            throw new DoppelException($"{path} has no entry for frame {index} of {source}",
                "extract every frame (no --every) and let it finish, or convert without --alignments to detect faces now");
        return entry.Faces.Select(f => new FaceToSwap(
            f.Landmarks.Select(p => new Vector2(p[0], p[1])).ToArray(), AffineMatrix.FromRowMajor(f.Matrix))).ToList();
    }

    private Dictionary<long, FrameAlignments> FramesOf(string source)
    {
        // Frames are looked up from several converter threads; the index is built once per source.
        lock (_bySource) return IndexOf(source);
    }

    private Dictionary<long, FrameAlignments> IndexOf(string source)
    {
        if (_bySource.TryGetValue(source, out var cached)) return cached;
        string full = Path.GetFullPath(source);
        var match = document.Sources.FirstOrDefault(s => s.Path == full)
            ?? document.Sources.FirstOrDefault(s => Path.GetFileName(s.Path) == Path.GetFileName(full))
            ?? throw new DoppelException($"{path} has no alignments for {source}", "pass the alignments.json extracted from this input");
        var frames = match.Frames.ToDictionary(f => f.Frame);
        _bySource[source] = frames;
        return frames;
    }
}
