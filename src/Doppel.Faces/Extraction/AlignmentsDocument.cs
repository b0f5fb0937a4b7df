namespace Doppel.Faces.Extraction;

/// <summary>
/// The contents of an alignments.json (schema in docs/formats.md): a header saying how the
/// crops were made, then one entry per source file with its frames and their faces.
/// </summary>
public sealed class AlignmentsDocument
{
    public const string FormatName = "doppel-alignments";
    public const int FormatVersion = 1;

    /// <summary>The program that wrote the file, e.g. "doppel 0.1.0+abc1234def".</summary>
    public required string Generator { get; set; }
    public required int CropSize { get; init; }
    public required double FaceFraction { get; init; }
    public required string Template { get; init; }
    public required string Detector { get; set; }

    public List<SourceAlignments> Sources { get; } = [];
}

/// <summary>One input file: where it was, what it is, and the frames extracted from it.</summary>
public sealed class SourceAlignments
{
    /// <summary>Absolute path of the source when it was extracted; the key that reruns replace by.</summary>
    public required string Path { get; init; }

    /// <summary>"video" or "image".</summary>
    public required string Kind { get; init; }
    /// <summary>Frame size in pixels (set once the first frame of an image is decoded).</summary>
    public required int Width { get; set; }
    public required int Height { get; set; }

    /// <summary>Every Nth frame was read (1 for images).</summary>
    public int EveryNth { get; init; } = 1;

    /// <summary>False while extraction is running or after it was interrupted: the frames listed are what was done.</summary>
    public bool Complete { get; set; }

    /// <summary>Every frame read, in order, including those without faces (empty face list).</summary>
    public List<FrameAlignments> Frames { get; } = [];
}

/// <summary>The faces of one frame (an image is frame 0).</summary>
public sealed record FrameAlignments(long Frame, IReadOnlyList<FaceAlignment> Faces);

/// <summary>
/// One face: detection box [x, y, w, h] and score in source pixels, 68 landmarks [x, y] in
/// source pixels, the row-major 2x3 matrix mapping source pixels to crop pixels, and the crop's
/// file name in faces/ (null when no crop was written).
/// </summary>
public sealed record FaceAlignment(double[] Box, double Score, float[][] Landmarks, double[] Matrix, string? File);
