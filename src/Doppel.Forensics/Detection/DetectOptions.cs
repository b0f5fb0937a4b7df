using Doppel.Core;

namespace Doppel.Forensics.Detection;

/// <summary>How <c>doppel detect</c> samples and judges its inputs.</summary>
public sealed record DetectOptions
{
    /// <summary>The default sample: 48 frames spread evenly over a video (every frame of a shorter one).</summary>
    public const int DefaultFrames = 48;

    /// <summary>Frames to read, spread evenly over the video; 0 with no <see cref="Fps"/> reads every frame.</summary>
    public int Frames { get; init; } = DefaultFrames;

    /// <summary>Frames per second of video to read instead of a count; null to use <see cref="Frames"/>.</summary>
    public double? Fps { get; init; }

    /// <summary>Read only the first this-many frames, every one (benchmarks); null for <see cref="Frames"/>/<see cref="Fps"/>.</summary>
    public int? FirstFrames { get; init; }

    /// <summary>The score at or above which a face counts as fake; null for the model's calibrated threshold.</summary>
    public float? Threshold { get; init; }

    /// <summary>Faces whose detection box is narrower than this (px) are not scored: too few pixels to carry paste traces.</summary>
    public double MinFaceSize { get; init; } = 40;

    /// <summary>A video track needs this many scored frames to count; fewer make the verdict inconclusive.</summary>
    public int MinTrackFrames { get; init; } = 3;

    /// <summary>Keep each scored face's picture and heatmap (the report draws them).</summary>
    public bool KeepPictures { get; init; }

    /// <summary>Frames extracted in parallel per step (one face pipeline per core).</summary>
    public int Workers { get; init; } = Math.Max(1, Environment.ProcessorCount);

    public void Validate()
    {
        if (Frames < 0) throw new DoppelException($"--frames must be 0 or more, got {Frames}", "use e.g. --frames 48, or 0 for every frame");
        if (Fps is { } f && !(f > 0)) throw new DoppelException($"--fps must be above 0, got {f}", "use e.g. --fps 2");
        if (Threshold is { } t && !(t is > 0 and < 1)) throw new DoppelException($"--threshold must be between 0 and 1, got {t}", "scores run from 0 (looks real) to 1 (looks fake); e.g. --threshold 0.8");
        if (MinTrackFrames < 1) throw new DoppelException($"minimum track length must be at least 1, got {MinTrackFrames}");
    }
}
