using Doppel.Datasets.Augmentation;
using Doppel.Swap.Models;
using Doppel.Provenance;

namespace Doppel.Swap.Training;

/// <summary>One training session: what to train (<see cref="Settings"/>), on what, where, and for how long.</summary>
public sealed record TrainerOptions
{
    public required string FaceSetA { get; init; }
    public required string FaceSetB { get; init; }
    public required string ModelDir { get; init; }
    public TrainSettings Settings { get; init; } = new();

    /// <summary>Resolves <see cref="TrainSettings.Model"/>; tests add tiny models.</summary>
    public ModelRegistry Models { get; init; } = ModelRegistry.Default;

    public AugmentOptions Augment { get; init; } = AugmentOptions.Default;

    /// <summary>Stop when this many iterations are complete in total (counting resumed ones); 0 for no limit.</summary>
    public long Iterations { get; init; }

    /// <summary>Stop after this much wall time in this session; null for no limit.</summary>
    public TimeSpan? Duration { get; init; }

    public bool Resume { get; init; }
    public int SaveEvery { get; init; } = 500;

    /// <summary>Write a preview and a checkpoint when the session ends (off only for <see cref="TrainingRateProbe"/>).</summary>
    public bool SaveAtEnd { get; init; } = true;
    public int PreviewEvery { get; init; } = 100;

    /// <summary>Keep every preview as previews/preview_&lt;iteration&gt;.png, not only the latest.</summary>
    public bool Timelapse { get; init; }

    /// <summary>How previews are finished: labelled as composites (real faces beside drawn ones) unless the user said --no-sign.</summary>
    public SyntheticOutputPolicy Previews { get; init; } = SyntheticOutputPolicy.Composite();

    public int PreviewFaces { get; init; } = 6;

    /// <summary>Where progress lines go; null for the console.</summary>
    public TextWriter? Log { get; init; }
}
