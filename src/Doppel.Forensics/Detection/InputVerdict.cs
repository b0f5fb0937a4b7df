namespace Doppel.Forensics.Detection;

/// <summary>A verdict from pixels: fake evidence found, none found, or too little to judge (with the reason).</summary>
public enum Verdict { LikelyFake, NoEvidence, Inconclusive }

/// <summary>
/// The result of one input: the pixel verdict with its score (the highest track score, 0 looks
/// real, 1 looks fake; null when inconclusive), the threshold it was judged against with that
/// threshold's false-positive rate measured on held-out real faces, the model, the tracks,
/// and, separately, what C2PA says (<see cref="Provenance"/>).
/// </summary>
public sealed record InputVerdict
{
    public required string Path { get; init; }
    public required string Kind { get; init; }
    public required Verdict Verdict { get; init; }
    public string? Reason { get; init; }
    public float? Score { get; init; }
    public required float Threshold { get; init; }
    public double? ThresholdFpr { get; init; }

    /// <summary>Which real faces <see cref="ThresholdFpr"/> was measured on (<see cref="Doppel.Forensics.Model.DetectorModel.ThresholdFprMeasuredOn"/>).</summary>
    public string ThresholdFprOn { get; init; } = "held-out real faces";
    public required string Model { get; init; }
    public required string ModelVersion { get; init; }
    public long FramesRead { get; init; }
    public long FramesWithFaces { get; init; }
    public double? DurationSeconds { get; init; }
    public IReadOnlyList<FaceTrack> Tracks { get; init; } = [];

    /// <summary>The track whose score is the input's (null when none counted).</summary>
    public int? DecidingTrack { get; init; }

    public required ProvenanceFinding Provenance { get; init; }

    public static string Name(Verdict v) => v switch
    {
        Verdict.LikelyFake => "likely-fake",
        Verdict.NoEvidence => "no-evidence",
        _ => "inconclusive",
    };
}
