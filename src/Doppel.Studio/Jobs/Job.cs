using Doppel.Core;

namespace Doppel.Studio.Jobs;

public enum JobState { Queued, Running, Succeeded, Failed, Cancelled }

/// <summary>
/// One background job in the queue: its plan, its state and times, the progress read from the
/// CLI's progress lines, the last error line, and the tail of its log (the whole log is in
/// <c>jobs/ID.log</c>). Thread-safe: the worker writes while requests read snapshots.
/// </summary>
public sealed class Job
{
    public const int LogTailLines = 400;

    private readonly object _gate = new();
    private readonly LinkedList<string> _tail = new();
    private ProgressLine? _progress;
    private string? _error;

    public Job(string id, JobPlan plan, string logPath)
    {
        Id = id;
        Plan = plan;
        LogPath = logPath;
        CreatedAt = DateTimeOffset.UtcNow;
    }

    public string Id { get; }
    public JobPlan Plan { get; }
    public string LogPath { get; }
    public DateTimeOffset CreatedAt { get; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public JobState State { get; private set; } = JobState.Queued;
    public int? ExitCode { get; private set; }
    public bool CancelRequested { get; private set; }

    public bool IsFinished => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;

    internal void MarkRunning()
    {
        lock (_gate) { State = JobState.Running; StartedAt = DateTimeOffset.UtcNow; }
    }

    /// <summary>Ends the job from the CLI's exit code: 0 succeeded; a stop we asked for cancelled; anything else failed.</summary>
    internal void MarkExited(int code)
    {
        lock (_gate)
        {
            ExitCode = code;
            EndedAt = DateTimeOffset.UtcNow;
            State = code == 0 ? JobState.Succeeded : CancelRequested ? JobState.Cancelled : JobState.Failed;
        }
    }

    internal void MarkFailedToStart(string why)
    {
        lock (_gate) { _error = why; EndedAt = DateTimeOffset.UtcNow; State = JobState.Failed; }
    }

    /// <summary>Asks for cancellation; true when the job was still queued (it will never start).</summary>
    internal bool RequestCancel()
    {
        lock (_gate)
        {
            if (IsFinished) return false;
            CancelRequested = true;
            if (State != JobState.Queued) return false;
            State = JobState.Cancelled;
            EndedAt = DateTimeOffset.UtcNow;
            return true;
        }
    }

    internal void AddLine(string line)
    {
        lock (_gate)
        {
            if (ProgressLine.TryParse(line, out var p)) _progress = p;
            if (line.StartsWith("error: ", StringComparison.Ordinal) || line.StartsWith("internal error: ", StringComparison.Ordinal)) _error = line;
            _tail.AddLast(line);
            if (_tail.Count > LogTailLines) _tail.RemoveFirst();
        }
    }

    /// <summary>A consistent copy for the API.</summary>
    public JobSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new JobSnapshot(Id, Plan.Kind, Plan.Title, Plan.Arguments, State.ToString().ToLowerInvariant(), CreatedAt, StartedAt, EndedAt, ExitCode,
                _progress is { } p ? new JobProgress(p.Label, p.Count, p.Total, p.Fraction, p.Rate, p.Unit, p.Elapsed.TotalSeconds, p.Eta?.TotalSeconds, p.Done) : null,
                _error, Plan.Files, [.. _tail]);
        }
    }
}

/// <summary>Progress as the page shows it: count of total, rate in units per second, ETA in seconds.</summary>
public sealed record JobProgress(string Label, long Count, long Total, double? Fraction, double? Rate, string Unit, double ElapsedSeconds, double? EtaSeconds, bool Done);

/// <summary>A job as /api/jobs answers it.</summary>
public sealed record JobSnapshot(string Id, string Kind, string Title, IReadOnlyList<string> Arguments, string State,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, int? ExitCode, JobProgress? Progress,
    string? Error, IReadOnlyList<JobFile> Files, IReadOnlyList<string> Log);
