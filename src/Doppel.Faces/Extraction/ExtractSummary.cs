namespace Doppel.Faces.Extraction;

/// <summary>What an extract run did, for the summary line and for tests.</summary>
public sealed record ExtractSummary(int Sources, long FramesRead, long FacesFound, long FramesWithoutFace, bool Interrupted, TimeSpan Elapsed)
{
    /// <summary>Photos skipped because they could not be read (each was named in the log).</summary>
    public int Unreadable { get; init; }

    public double FramesPerSecond => Elapsed.TotalSeconds > 0 ? FramesRead / Elapsed.TotalSeconds : 0;
}
