using Doppel.Core;

namespace Doppel.Faces.Detection;

/// <summary>Which BlazeFace network(s) a detector runs.</summary>
public enum BlazeFaceMode
{
    /// <summary>The front (selfie) model, 128x128 input: fast, for faces larger than about a fifth of the frame.</summary>
    Front,

    /// <summary>The back-camera model, 256x256 input: slower, finds faces down to about a sixteenth of the frame.</summary>
    Back,

    /// <summary>The front model, and the back model on frames where the front one finds nothing.</summary>
    FrontThenBack,
}

/// <summary>Settings of <see cref="BlazeFaceDetector"/>; defaults follow MediaPipe's face detection graphs.</summary>
public sealed record BlazeFaceOptions
{
    public BlazeFaceMode Mode { get; init; } = BlazeFaceMode.FrontThenBack;

    /// <summary>Detections whose sigmoid score is below this are dropped (MediaPipe: 0.5).</summary>
    public float MinScore { get; init; } = 0.5f;

    /// <summary>
    /// Faces an every-scale search keeps must score at least this (<see cref="MinScore"/> if
    /// that is higher). Such a search of a 2-megapixel photo shows the network a hundred or
    /// more windows, where a video frame shows it one, so its chance of scoring a capacitor,
    /// a painted swirl or a mandrill above 0.5 grows with them. Measured on the group photos
    /// (docs/detection.md): real faces scored 0.86 or more there, false ones 0.75 or less.
    /// </summary>
    public float EveryScaleMinScore { get; init; } = 0.8f;

    /// <summary>
    /// Overlapping detections above this IoU are blended into one (MediaPipe's
    /// min_suppression_threshold: 0.3). BlazeFace fires on several neighbouring anchors per
    /// face, and their score-weighted mean is steadier from frame to frame than any one of them.
    /// </summary>
    public float SuppressionIoU { get; init; } = 0.3f;

    /// <summary>Threads inside the network per detection (1 by default; see OnnxSessionOptions).</summary>
    public int IntraOpThreads { get; init; } = 1;

    internal static BlazeFaceOptions From(FaceDetectorSettings settings, BlazeFaceMode mode) =>
        new() { Mode = mode, MinScore = settings.MinScore, IntraOpThreads = settings.Threads };

    internal void Validate()
    {
        if (!(MinScore is >= 0 and <= 1))
            throw new DoppelException($"BlazeFace minimum score must be between 0 and 1, got {MinScore}");
        if (!(EveryScaleMinScore is >= 0 and <= 1))
            throw new DoppelException($"BlazeFace every-scale minimum score must be between 0 and 1, got {EveryScaleMinScore}");
        if (!(SuppressionIoU is > 0 and <= 1))
            throw new DoppelException($"BlazeFace suppression IoU must be in (0, 1], got {SuppressionIoU}");
        if (IntraOpThreads < 0)
            throw new DoppelException($"BlazeFace thread count must be 0 (automatic) or more, got {IntraOpThreads}");
    }
}
