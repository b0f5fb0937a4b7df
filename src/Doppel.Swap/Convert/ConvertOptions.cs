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

    /// <summary>
    /// Colour matching by default: the mean shift only. Reinhard's transfer also rescales each Lab
    /// channel's spread to the frame's, which on a soft, low-contrast face from a short training
    /// run washes B's features out and tints the eye sockets blue: only 8% of converted held-out
    /// faces were called B against 84% with the mean (bench swap, docs/training.md). The gain
    /// (<c>--color gain</c>) scored a little higher still and keeps shadows untinted, but Doppel's
    /// shipped detector does not find its swaps (docs/forensics.md), and what Doppel makes by
    /// default must be what Doppel can detect: the mean stays the default until a detector does.
    /// </summary>
    public const string DefaultColor = "mean";

    /// <summary>
    /// No mask erosion by default: eroded by 2% with a 6% feather, the hull's soft edge reached into
    /// the cheeks and brows and gave A back (84% of converted faces called B); at 0 with the same
    /// feather, 99.6%, with no seam (the feather and the edge taper keep the mask off the square's border).
    /// </summary>
    public const double DefaultErodePercent = 0;

    public const double DefaultFeatherPercent = 6;

    public string Color { get; init; } = DefaultColor;
    public string Blend { get; init; } = "feather";
    public string Smoothing { get; init; } = "oneeuro";

    /// <summary>The blend mask: "hull" (the landmarks' convex hull) or "learned" (the model's own mask; needs a model trained with --learn-mask).</summary>
    public string Mask { get; init; } = "hull";

    /// <summary>Mask erosion in percent of the model's square (negative grows the mask).</summary>
    public double ErodePercent { get; init; } = DefaultErodePercent;

    /// <summary>Mask feather (blur) radius in percent of the model's square.</summary>
    public double FeatherPercent { get; init; } = DefaultFeatherPercent;

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
