using System.IO.Compression;

namespace Doppel.Media.Png;

/// <summary>How <see cref="PngWriter"/> filters rows.</summary>
public enum PngFilterStrategy
{
    /// <summary>Per row, the filter whose output has the smallest sum of absolute values (libpng's heuristic).</summary>
    Adaptive,
    None,
    Sub,
    Up,
    Average,
    Paeth,
}

/// <summary>Options for <see cref="PngWriter"/>. The defaults favour speed: face crops are written by the thousand.</summary>
public sealed record PngWriteOptions
{
    public static readonly PngWriteOptions Default = new();

    public PngFilterStrategy Filter { get; init; } = PngFilterStrategy.Adaptive;

    /// <summary>zlib effort; Fastest is a few times quicker than Optimal for files ~10-20% larger.</summary>
    public CompressionLevel Compression { get; init; } = CompressionLevel.Fastest;

    /// <summary>
    /// Flush to the disk before the atomic rename. Off is right for regenerable files written by
    /// the thousand (face crops): the rename still never exposes half a file.
    /// </summary>
    public bool Durable { get; init; } = true;

    /// <summary>Ancillary chunks written after the image data, just before IEND (e.g. C2PA's caBX).</summary>
    public IReadOnlyList<PngChunk> ExtraChunks { get; init; } = [];
}
