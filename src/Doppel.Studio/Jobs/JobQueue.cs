using System.Diagnostics;
using System.Globalization;
using Doppel.Studio.Security;

namespace Doppel.Studio.Jobs;

/// <summary>
/// Background jobs, one at a time (the machine has two cores, and every job uses both): a FIFO
/// queue and one worker that runs each job's doppel command as a child process with an argument
/// list, writes its output to <c>jobs/ID.log</c> and reads its progress lines. Cancelling a queued
/// job drops it; cancelling a running one sends SIGTERM, which doppel turns into a clean stop
/// (training saves, extract keeps what it has), and kills it if it has not exited after
/// <see cref="KillAfter"/>.
/// </summary>
public sealed class JobQueue : IAsyncDisposable
{
    private readonly DoppelLauncher _launcher;
    private readonly Workspace _workspace;
    private readonly object _gate = new();
    private readonly List<Job> _jobs = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Task _worker;
    private Process? _running;
    private int _nextId;

    public JobQueue(DoppelLauncher launcher, Workspace workspace)
    {
        _launcher = launcher;
        _workspace = workspace;
        _worker = Task.Run(WorkAsync);
    }

    /// <summary>How long a job may take to stop cleanly after SIGTERM before it is killed.</summary>
    public TimeSpan KillAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Environment variables given to every job (the progress line cadence).</summary>
    public static IReadOnlyDictionary<string, string> JobEnvironment { get; } = new Dictionary<string, string>
    {
        ["DOPPEL_PROGRESS_SECONDS"] = "1",
    };

    public Job Submit(JobPlan plan)
    {
        Job job;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_shutdown.IsCancellationRequested, this);
            string id = (++_nextId).ToString(CultureInfo.InvariantCulture);
            job = new Job(id, plan, Path.Combine(_workspace.Root, Workspace.Jobs, $"job-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{id}.log"));
            _jobs.Add(job);
        }
        _wake.Release();
        return job;
    }

    public IReadOnlyList<Job> All
    {
        get { lock (_gate) return [.. _jobs]; }
    }

    public Job? Find(string id)
    {
        lock (_gate) return _jobs.FirstOrDefault(j => j.Id == id);
    }

    /// <summary>The running job, if any.</summary>
    public Job? Running
    {
        get { lock (_gate) return _jobs.FirstOrDefault(j => j.State == JobState.Running); }
    }

    /// <summary>Cancels a job; false when there is no such job or it has already finished.</summary>
    public bool Cancel(string id)
    {
        Job? job = Find(id);
        if (job is null || job.IsFinished) return false;
        if (job.RequestCancel()) return true; // it was queued: it will never start
        Process? p;
        lock (_gate) p = job.State == JobState.Running ? _running : null;
        if (p is not null) StopProcess(p);
        return true;
    }

    private void StopProcess(Process p)
    {
        try
        {
            if (p.HasExited) return;
            if (!PosixSignals.Terminate(p.Id)) p.Kill(entireProcessTree: true);
            _ = Task.Delay(KillAfter).ContinueWith(_ =>
            {
                try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            }, TaskScheduler.Default);
        }
        catch (InvalidOperationException) { /* exited meanwhile */ }
    }

    private async Task WorkAsync()
    {
        while (!_shutdown.IsCancellationRequested)
        {
            try { await _wake.WaitAsync(_shutdown.Token); }
            catch (OperationCanceledException) { return; }
            while (NextQueued() is { } job)
            {
                try { await RunAsync(job); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The log could not be written (disk full, permissions): the job fails, the queue goes on.
                    job.MarkFailedToStart($"error: {e.Message}");
                }
            }
        }
    }

    private Job? NextQueued()
    {
        lock (_gate)
        {
            if (_shutdown.IsCancellationRequested) return null;
            var job = _jobs.FirstOrDefault(j => j.State == JobState.Queued);
            job?.MarkRunning();
            return job;
        }
    }

    private async Task RunAsync(Job job)
    {
        var info = _launcher.StartInfo(job.Plan.Arguments, _workspace.Root);
        foreach (var (key, value) in JobEnvironment) info.Environment[key] = value;
        using var log = new StreamWriter(job.LogPath, append: false) { AutoFlush = true };
        var logGate = new object();
        void Line(string? text)
        {
            if (text is null) return;
            lock (logGate) log.WriteLine(text);
            job.AddLine(text);
        }
        Line("$ doppel " + string.Join(' ', job.Plan.Arguments.Select(Quote)));
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("the process did not start");
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Line($"error: could not start doppel ({_launcher.FileName}): {e.Message}");
            job.MarkFailedToStart($"error: could not start doppel: {e.Message}");
            return;
        }
        using (process)
        {
            process.StandardInput.Close();
            process.OutputDataReceived += (_, e) => Line(e.Data);
            process.ErrorDataReceived += (_, e) => Line(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            lock (_gate) _running = process;
            // A cancel that came between MarkRunning and here found no process to signal.
            if (job.CancelRequested) StopProcess(process);
            await process.WaitForExitAsync(CancellationToken.None);
            lock (_gate) _running = null;
            Line($"[exit code {process.ExitCode}]");
            job.MarkExited(process.ExitCode);
        }
    }

    // For the log's first line only (it is never executed): show arguments with spaces readably.
    private static string Quote(string a) => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? a : "'" + a.Replace("'", "'\\''") + "'";

    /// <summary>Cancels every queued and running job and waits for the running one to stop cleanly.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var job in All) if (job.State == JobState.Queued) job.RequestCancel();
        Process? p;
        lock (_gate)
        {
            if (_shutdown.IsCancellationRequested) return;
            _shutdown.Cancel();
            p = _running;
        }
        if (p is not null)
        {
            Running?.RequestCancel();
            StopProcess(p);
        }
        try { await _worker.WaitAsync(KillAfter + TimeSpan.FromSeconds(5)).ConfigureAwait(false); }
        catch (TimeoutException) { /* the kill timer has fired by now; nothing more to wait for */ }
        _wake.Dispose();
        _shutdown.Dispose();
    }
}
