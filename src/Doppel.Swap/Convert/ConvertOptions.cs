using Doppel.Swap.Models;

namespace Doppel.Swap.Convert;

/// <summary>The settings of one conversion (the CLI's convert options map onto these).</summary>
public sealed record ConvertOptions
{
    /// <summary>A video, an image, or a folder of images.</summary>
    public required string Input { get; init; }

    /// <summary>The model folder <c>doppel train</c> wrote.</summary>
    public required string ModelDir { get; init; }

    /// <summary>A video file for a video, an image file for an image, a folder for a folder.</summary>
    public required string Output { get; init; }

    /// <summary>Whose decoder draws the new face: B turns A's faces into B (the default).</summary>
    public Side To { get; init; } = Side.B;

    public string Color { get; init; } = "reinhard";
    public string Blend { get; init; } = "feather";
    public string Smoothing { get; init; } = "oneeuro";

    /// <summary>The blend mask: "hull" (the landmarks' convex hull) or "learned" (the model's own mask; needs a model trained with --learn-mask).</summary>
    public string Mask { get; init; } = "hull";

    /// <summary>Mask erosion in percent of the model's square (negative grows the mask).</summary>
    public double ErodePercent { get; init; } = 2;

    /// <summary>Mask feather (blur) radius in percent of the model's square.</summary>
    public double FeatherPercent { get; init; } = 6;

    /// <summary>An alignments.json from <c>doppel extract</c> to reuse instead of detecting again; null detects.</summary>
    public string? Alignments { get; init; }

    /// <summary>Stop after this many frames (0: all); the output then holds only those.</summary>
    public long MaxFrames { get; init; }

    /// <summary>What a video becomes: an MP4 (with the source's sound) or a folder of PNG frames.</summary>
    public OutputFormat Format { get; init; } = OutputFormat.Mp4;

    /// <summary>A second output with the source on the left and the result on the right; null for none.</summary>
    public string? SideBySide { get; init; }

    /// <summary>Video frames converted together: the model runs on all their faces in one pass.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Label every output with C2PA content credentials (synthetic, composite; the source and the model as ingredients). Off only on request (--no-sign).</summary>
    public bool Sign { get; init; } = true;

    /// <summary>Who signs the labels (the user's --key/--cert); null: the local key, created on first use. The caller owns it.</summary>
    public Doppel.Provenance.Cose.SigningIdentity? Identity { get; init; }

    /// <summary>Threads for the per-frame work (finding faces, cutting, blending).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}

/// <summary>The container a converted video is written as.</summary>
public enum OutputFormat { Mp4, Png }
