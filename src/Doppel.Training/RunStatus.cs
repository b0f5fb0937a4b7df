using System.Text.Json;
using Doppel.Core;

namespace Doppel.Training;

/// <summary>
/// A training run's live status, <c>RUN/status.json</c>: written by <see cref="TrainingLoop{TBatch}"/>
/// when the session starts, about once a second while it trains, and when it ends, so a program
/// watching the folder (Studio) can show the iteration, the rate and the ETA of a run it did not
/// start. <see cref="State"/> is "running" until the session ends ("finished", "interrupted",
/// "time-limit", "diverged"); a run that was killed stays "running", so a watcher also checks
/// that <see cref="Pid"/> is alive (<see cref="IsLive"/>).
/// </summary>
public sealed record RunStatus
{
    public const string FileName = "status.json";
    public const string FormatName = "doppel-run-status/1";

    public string Format { get; init; } = FormatName;
    public required string State { get; init; }
    public required int Pid { get; init; }
    public required long Iteration { get; init; }

    /// <summary>The session's iteration limit (total, counting resumed ones); 0 for none.</summary>
    public long TargetIterations { get; init; }

    /// <summary>The session's time limit in seconds; null for none.</summary>
    public double? DurationLimitSeconds { get; init; }

    public required DateTimeOffset SessionStartedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public double IterationsPerSecond { get; init; }
    public double ExamplesPerSecond { get; init; }

    /// <summary>Seconds to whichever limit comes first at the current rate; null without a limit.</summary>
    public double? EtaSeconds { get; init; }

    public IReadOnlyDictionary<string, double>? LastMetrics { get; init; }

    /// <summary>True while the session that wrote this is training: state "running" and its process alive on this machine.</summary>
    public bool IsLive => State == "running" && ProcessAlive(Pid);

    // Not flushed to the disk: it is rewritten every second and worthless after a power loss;
    // the rename alone keeps readers from ever seeing half a file.
    public static void Write(string runDir, RunStatus status)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(status, CheckpointJson.Options);
        AtomicFile.Write(Path.Combine(runDir, FileName), s => s.Write(json), durable: false);
    }

    /// <summary>The run's status, or null when it has none (a run from before this file) or it cannot be read.</summary>
    public static RunStatus? Read(string runDir)
    {
        string path = Path.Combine(runDir, FileName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<RunStatus>(File.ReadAllBytes(path), CheckpointJson.Options) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return null;
        }
    }

    private static bool ProcessAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
