using System.Collections.Concurrent;

namespace Doppel.Swap.Data;

/// <summary>
/// Prepares batches on a background thread into a small bounded queue, so the training loop finds
/// the next batch ready instead of waiting for augmentation. The queue bound (a few batches)
/// limits memory and keeps the loader from stealing more CPU than the engine leaves idle.
/// </summary>
public sealed class BatchPipeline : IDisposable
{
    private readonly BlockingCollection<TrainingBatch> _ready;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private Exception? _failure;

    public BatchPipeline(BatchBuilder builder, long firstIteration, int depth = 3)
    {
        _ready = new BlockingCollection<TrainingBatch>(depth);
        _thread = new Thread(() => Produce(builder, firstIteration)) { IsBackground = true, Name = "doppel batch loader" };
        _thread.Start();
    }

    /// <summary>The batch for <paramref name="iteration"/>; batches arrive strictly in order.</summary>
    public TrainingBatch Take(long iteration, CancellationToken cancel = default)
    {
        TrainingBatch batch;
        try { batch = _ready.Take(cancel); }
        catch (InvalidOperationException) when (_failure is not null)
        {
            throw new InvalidOperationException("the batch loader failed", _failure);
        }
        if (batch.Iteration != iteration)
            throw new InvalidOperationException($"batch loader is at iteration {batch.Iteration}, the trainer at {iteration}");
        return batch;
    }

    private void Produce(BatchBuilder builder, long iteration)
    {
        try
        {
            for (; !_stop.IsCancellationRequested; iteration++)
            {
                var batch = builder.Build(iteration);
                try { _ready.Add(batch, _stop.Token); }
                catch (OperationCanceledException) { batch.Dispose(); break; }
            }
        }
        catch (Exception e)
        {
            _failure = e;
        }
        finally
        {
            _ready.CompleteAdding();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        while (_ready.TryTake(out var left)) left.Dispose();
        _ready.Dispose();
        _stop.Dispose();
    }
}
