namespace Doppel.Training;

/// <summary>
/// How long and how a session runs: where it writes, its limits, its cadence. None of this is
/// part of the run's identity (<see cref="ITrainingTask.Settings"/>): it may change between
/// sessions of the same run.
/// </summary>
public sealed record TrainingLoopOptions
{
    /// <summary>The run folder: checkpoint/, checkpoint.previous/, metrics.csv, metrics.jsonl, previews.</summary>
    public required string OutputDir { get; init; }

    /// <summary>Stop when this many iterations are complete in total (counting resumed ones); 0 for no limit.</summary>
    public long Iterations { get; init; }

    /// <summary>Stop after this much wall time in this session; null for no limit.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Continue the latest checkpoint in <see cref="OutputDir"/> (without, an existing one is refused).</summary>
    public bool Resume { get; init; }

    /// <summary>Iterations between checkpoints (0: only at the end); counted in total iterations.</summary>
    public int SaveEvery { get; init; } = 500;

    /// <summary>Iterations between previews (0: only at the end).</summary>
    public int PreviewEvery { get; init; } = 100;

    /// <summary>
    /// Write a preview and a checkpoint when the session ends (so it can be resumed and used).
    /// Off only for a throwaway session that measures speed, which would otherwise write a whole
    /// model and its optimiser state only to delete them.
    /// </summary>
    public bool SaveAtEnd { get; init; } = true;

    /// <summary>Where status lines and the progress line go; null for the console.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>The progress line's label.</summary>
    public string ProgressLabel { get; init; } = "train";

    /// <summary>Batches made ahead on the loader thread; 0 makes each batch on the training thread when it is due.</summary>
    public int PrefetchDepth { get; init; } = 3;

    /// <summary>The all-metrics logs' file names in <see cref="OutputDir"/>; null leaves that log out.</summary>
    public string? MetricsCsv { get; init; } = "metrics.csv";

    public string? MetricsJsonl { get; init; } = "metrics.jsonl";

    /// <summary>Keep <see cref="RunStatus"/> (status.json) current in <see cref="OutputDir"/>, for programs that watch the run.</summary>
    public bool WriteStatus { get; init; } = true;

    /// <summary>More CSV logs with fixed columns (the swap trainer's loss.csv: loss_a, loss_b).</summary>
    public IReadOnlyList<CsvView> CsvViews { get; init; } = [];
}

/// <summary>A CSV log of some metrics only, under a fixed header; <paramref name="Format"/> writes a value (default: shortest exact text).</summary>
public sealed record CsvView(string FileName, IReadOnlyList<string> Columns, Func<double, string>? Format = null);
