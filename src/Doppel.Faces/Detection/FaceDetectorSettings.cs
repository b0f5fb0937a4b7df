using Doppel.Core;

namespace Doppel.Faces.Detection;

/// <summary>The knobs every detector understands (the CLI's options map onto these).</summary>
public sealed record FaceDetectorSettings
{
    public static readonly FaceDetectorSettings Default = new();

    /// <summary>Detections scoring below this are dropped.</summary>
    public float MinScore { get; init; } = 0.5f;

    /// <summary>Threads one detection may use inside the network; see OnnxSessionOptions.IntraOpThreads.</summary>
    public int Threads { get; init; } = 1;

    internal void Validate()
    {
        if (!(MinScore is >= 0 and <= 1))
            throw new DoppelException($"minimum face score must be between 0 and 1, got {MinScore}");
        if (Threads < 0)
            throw new DoppelException($"detector thread count must be 0 (automatic) or more, got {Threads}");
    }
}
