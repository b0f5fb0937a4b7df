namespace Doppel.Faces.Extraction;

/// <summary>How an <see cref="ExtractJob"/> walks its inputs (the per-frame knobs are in <see cref="FaceExtractorOptions"/>).</summary>
public sealed record ExtractJobOptions
{
    /// <summary>Read every Nth frame of videos.</summary>
    public int EveryNth { get; init; } = 1;

    /// <summary>Stop each video after this many frames read (null: all).</summary>
    public long? MaxFrames { get; init; }

    /// <summary>Frames extracted at once (each on its own thread); 1 runs everything on the calling thread.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>alignments.json is rewritten after this many frames, so an interrupted run keeps most of its work.</summary>
    public int CheckpointFrames { get; init; } = 500;

    /// <summary>Written into the file's header, e.g. "doppel 0.1.0+abc".</summary>
    public string Generator { get; init; } = "doppel";
}
