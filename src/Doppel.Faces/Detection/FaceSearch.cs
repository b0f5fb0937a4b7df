namespace Doppel.Faces.Detection;

/// <summary>
/// How thoroughly a detector looks at one image. A video frame is searched as a whole, at the
/// network's input size: quick, and it finds the faces worth swapping. A group photo needs
/// more: a face of 30 px in a 4000 px photo is under one input pixel at that size, so the
/// search also runs on overlapping tiles at finer scales, down to the smallest face asked for.
/// </summary>
public sealed record FaceSearch
{
    /// <summary>The whole frame only (what video frames get by default).</summary>
    public static readonly FaceSearch WholeFrame = new();

    /// <summary>Every scale down to faces of <paramref name="minFaceSize"/> px; with <paramref name="allFaces"/> false the search stops at the coarsest scale that finds one.</summary>
    public static FaceSearch EveryScale(double minFaceSize, bool allFaces) =>
        new() { Tiles = true, MinFaceSize = minFaceSize, AllFaces = allFaces };

    /// <summary>Whether to search overlapping tiles at finer scales after the whole frame.</summary>
    public bool Tiles { get; init; }

    /// <summary>The smallest face (detection box side, px) the tiles must reach; it sets the finest scale.</summary>
    public double MinFaceSize { get; init; }

    /// <summary>
    /// Whether every face is wanted. When only the largest is, a search stops at the first
    /// (coarsest) scale that finds a face: finer scales only add smaller ones.
    /// </summary>
    public bool AllFaces { get; init; }
}
