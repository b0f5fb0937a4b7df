using System.Diagnostics;
using System.Globalization;
using Doppel.Core;
using Doppel.Tensors;

namespace Doppel.Training;

/// <summary>
/// The one training loop: swap, GAN and detector training are each an
/// <see cref="ITrainingTask{TBatch}"/> run here. The loop owns what every run needs the same
/// way: resuming from the latest checkpoint (after refusing another kind of run, other settings
/// or other data), iteration and time limits, cancellation (Ctrl-C and SIGTERM through the
/// token: finish the iteration, save, report <see cref="StopReason.Interrupted"/>), the guard
/// that stops on a NaN or infinite metric without saving (the last good checkpoint stays), the
/// progress line and status lines with rate and ETA, previews and checkpoints at their cadence
/// and a final one whenever the session ends, and the metrics logs.
/// </summary>
public sealed class TrainingLoop<TBatch>
{
    private readonly ITrainingTask<TBatch> _task;
    private readonly TrainingLoopOptions _options;
    private readonly HashSet<string> _checkedNames = new(StringComparer.Ordinal);

    /// <param name="store">The checkpoints of <see cref="TrainingLoopOptions.OutputDir"/>; pass one to read older formats (see <see cref="CheckpointStore"/>).</param>
    public TrainingLoop(ITrainingTask<TBatch> task, TrainingLoopOptions options, CheckpointStore? store = null)
    {
        _task = task;
        _options = options;
        Store = store ?? new CheckpointStore(options.OutputDir);
    }

    public CheckpointStore Store { get; }

    /// <summary>Called after each iteration (and its logging) with the total iteration count and the metrics; tests use it to interrupt.</summary>
    public Action<long, IReadOnlyDictionary<string, double>>? OnIteration { get; init; }

    /// <summary>Runs a session: from the latest checkpoint with <see cref="TrainingLoopOptions.Resume"/>, else from the task's initial state.</summary>
    public TrainingResult Run(CancellationToken cancel = default) => Run(Store.OpenForRun(_options.Resume), cancel);

    /// <summary>
    /// Runs a session from <paramref name="resumeFrom"/> (a checkpoint the caller has already read,
    /// e.g. to check it before expensive setup), or from the task's initial state when null.
    /// </summary>
    public TrainingResult Run(SavedCheckpoint? resumeFrom, CancellationToken cancel = default)
    {
        TaskCheckpoint.Validate(_task);
        var log = _options.Log ?? Console.Out;
        long iteration = 0;
        if (resumeFrom is { } saved)
        {
            TaskCheckpoint.CheckResume(saved, _task);
            TaskCheckpoint.Restore(saved, _task);
            iteration = saved.Iteration;
            Line(log, $"resuming {_task.Description} at iteration {iteration} from {saved.Dir}");
        }
        Directory.CreateDirectory(_options.OutputDir);
        if (_task.Banner is { } banner) Line(log, banner);

        var logs = OpenLogs(resumeFrom?.Iteration);
        var status = _options.WriteStatus ? new RunStatusWriter(_options.OutputDir, _options, _task.ExamplesPerIteration) : null;
        status?.Update("running", iteration, 0, null, null, force: true);
        using var batches = new BatchSource(_task, iteration, _options.PrefetchDepth);
        var history = new MetricsHistory();
        var clock = Stopwatch.StartNew();
        TimeSpan afterFirst = TimeSpan.Zero, cpuAfterFirst = TimeSpan.Zero;
        long startIteration = iteration;
        IReadOnlyDictionary<string, double>? last = null;
        StopReason reason;
        using (var progress = new Progress(_options.ProgressLabel, _options.Iterations > 0 ? Math.Max(0, _options.Iterations - iteration) : 0, "it", _options.Log))
        {
            while (true)
            {
                if (_options.Iterations > 0 && iteration >= _options.Iterations) { reason = StopReason.Iterations; break; }
                if (_options.Duration is { } limit && clock.Elapsed >= limit) { reason = StopReason.Duration; break; }
                if (cancel.IsCancellationRequested) { reason = StopReason.Interrupted; break; }
                TBatch batch;
                try { batch = batches.Take(iteration, cancel); }
                catch (OperationCanceledException) { reason = StopReason.Interrupted; break; }
                var metrics = Step(batch, iteration);
                try { CheckFinite(metrics, iteration); }
                catch (DoppelException)
                {
                    status?.Update("diverged", iteration, Rate(iteration - startIteration, clock.Elapsed, afterFirst), null, null, force: true); // no metrics: JSON has no NaN
                    throw;
                }
                iteration++;
                if (iteration == startIteration + 1) (afterFirst, cpuAfterFirst) = (clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime);
                last = metrics;
                history.Add(iteration, metrics);
                foreach (var l in logs) l.Add(iteration, clock.Elapsed.TotalSeconds, metrics);
                progress.Advance();
                OnIteration?.Invoke(iteration, metrics);
                if (status is not null)
                {
                    double now = Rate(iteration - startIteration, clock.Elapsed, afterFirst);
                    status.Update("running", iteration, now, Remaining(iteration, now, clock.Elapsed), metrics);
                }
                bool previewNow = _options.PreviewEvery > 0 && iteration % _options.PreviewEvery == 0;
                bool saveNow = _options.SaveEvery > 0 && iteration % _options.SaveEvery == 0;
                if (previewNow) Preview(iteration);
                if (saveNow) TaskCheckpoint.Save(Store, _task, iteration, metrics);
                if (previewNow || saveNow)
                    progress.Log(_task.FormatStatus(Status(iteration, metrics, Rate(iteration - startIteration, clock.Elapsed, afterFirst), clock.Elapsed, previewNow, saveNow)));
            }
        }
        long session = iteration - startIteration;
        double rate = Rate(session, clock.Elapsed, afterFirst);
        double cpuPerStep = session > 1 ? (Process.GetCurrentProcess().TotalProcessorTime - cpuAfterFirst).TotalSeconds / (session - 1) : double.NaN;
        // Nothing new to save when the session trained nothing and a checkpoint exists; a fresh
        // run that stopped at once still leaves one, so the folder can be resumed.
        if (_options.SaveAtEnd && (session > 0 || !Store.Exists))
        {
            Preview(iteration);
            TaskCheckpoint.Save(Store, _task, iteration, last);
        }
        status?.Update(reason switch { StopReason.Interrupted => "interrupted", StopReason.Duration => "time-limit", _ => "finished" }, iteration, rate, null, last, force: true);
        Line(log, !_options.SaveAtEnd ? $"stopped at iteration {iteration}; nothing saved (a measuring session)" : reason switch
        {
            StopReason.Interrupted => $"interrupted at iteration {iteration}; checkpoint saved in {Store.CurrentDir}; continue with --resume",
            StopReason.Duration => $"time is up at iteration {iteration}; checkpoint saved in {Store.CurrentDir}",
            _ => $"reached iteration {iteration}; checkpoint saved in {Store.CurrentDir}",
        });
        return new TrainingResult(iteration, session, reason, history, rate, rate * Math.Max(0, _task.ExamplesPerIteration), cpuPerStep, Store.CurrentDir);
    }

    private IReadOnlyDictionary<string, double> Step(TBatch batch, long iteration)
    {
        try
        {
            using var scope = TensorScope.Begin();
            // A copy: the task may reuse its dictionary, and the loop keeps the last one for the checkpoint.
            var metrics = new Dictionary<string, double>(_task.Step(batch, iteration), StringComparer.Ordinal);
            foreach (string name in metrics.Keys)
                if (_checkedNames.Add(name)) MetricNames.Check(name);
            return metrics;
        }
        finally
        {
            (batch as IDisposable)?.Dispose();
        }
    }

    private void Preview(long iteration)
    {
        using var scope = TensorScope.Begin();
        _task.WritePreview(_options.OutputDir, iteration);
    }

    // The guard: the update that produced a NaN has already changed the weights, so nothing after
    // it may be saved; the last checkpoint on disk is the last good state.
    private void CheckFinite(IReadOnlyDictionary<string, double> metrics, long iteration)
    {
        var bad = metrics.Where(m => !double.IsFinite(m.Value)).Select(m => m.Key).ToList();
        if (bad.Count == 0) return;
        string all = string.Join(", ", metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:G6}")));
        string kept = Store.Exists ? $"the last checkpoint ({Store.CurrentDir}) is kept" : "no checkpoint was written";
        throw new DoppelException($"training diverged: {string.Join(" and ", bad)} became {string.Join("/", bad.Select(b => metrics[b].ToString(CultureInfo.InvariantCulture)))} at iteration {iteration + 1} ({all}); nothing was saved, {kept}",
            _task.DivergenceHint);
    }

    private List<IMetricsLog> OpenLogs(long? resumeAt)
    {
        var logs = new List<IMetricsLog>();
        string InRun(string name) => Path.Combine(_options.OutputDir, name);
        if (_options.MetricsCsv is { } csv) logs.Add(new CsvMetricsLog(InRun(csv), resumeAt));
        if (_options.MetricsJsonl is { } jsonl) logs.Add(new JsonlMetricsLog(InRun(jsonl), resumeAt));
        foreach (var view in _options.CsvViews) logs.Add(new CsvMetricsLog(InRun(view.FileName), resumeAt, view.Columns, view.Format));
        return logs;
    }

    // Iterations per second after the session's first iteration (which pays for JIT and buffer pools).
    private static double Rate(long steps, TimeSpan elapsed, TimeSpan afterFirst) =>
        steps > 1 ? (steps - 1) / Math.Max(1e-9, (elapsed - afterFirst).TotalSeconds) : steps / Math.Max(1e-9, elapsed.TotalSeconds);

    private TrainingStatus Status(long iteration, IReadOnlyDictionary<string, double> metrics, double rate, TimeSpan elapsed, bool preview, bool saved)
    {
        return new TrainingStatus(iteration, metrics, rate, rate * Math.Max(0, _task.ExamplesPerIteration), Remaining(iteration, rate, elapsed), preview, saved);
    }

    // Whichever limit comes first: the iteration target at the current rate, or the time limit.
    private TimeSpan? Remaining(long iteration, double rate, TimeSpan elapsed)
    {
        double remaining = double.PositiveInfinity;
        if (_options.Iterations > 0 && rate > 0) remaining = (_options.Iterations - iteration) / rate;
        if (_options.Duration is { } limit) remaining = Math.Min(remaining, Math.Max(0, (limit - elapsed).TotalSeconds));
        return double.IsFinite(remaining) ? TimeSpan.FromSeconds(remaining) : null;
    }

    private static void Line(TextWriter log, string text)
    {
        log.WriteLine(text);
        log.Flush();
    }

    /// <summary>The batches of consecutive iterations: from the prefetcher, or made when due with depth 0.</summary>
    private sealed class BatchSource(ITrainingTask<TBatch> task, long first, int depth) : IDisposable
    {
        private readonly Prefetcher<TBatch>? _prefetcher = depth > 0 ? new Prefetcher<TBatch>(task.MakeBatch, first, depth) : null;

        public TBatch Take(long iteration, CancellationToken cancel) =>
            _prefetcher is { } p ? p.Take(iteration, cancel) : task.MakeBatch(iteration);

        public void Dispose() => _prefetcher?.Dispose();
    }
}
