using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Doppel.Training;

/// <summary>
/// Makes items numbered <c>first, first + 1, ...</c> on a background thread into a small bounded
/// queue, so the training loop finds the next batch ready instead of waiting for it. The bound (a
/// few items) limits memory and keeps the loader from taking more CPU than the engine leaves idle.
/// Items arrive strictly in order, and <see cref="Take"/> checks the number it is asked for, so a
/// loop that skipped or repeated a step fails loudly instead of training on the wrong batch.
/// <para>
/// The make function runs on the loader thread: it must depend only on the index and on data
/// that does not change while training (the per-iteration seeding of the swap batches is the
/// model). Items the consumer never took are disposed when the prefetcher is (if they are
/// <see cref="IDisposable"/>). When the make function throws, every item made before is still
/// handed out in order, then <see cref="Take"/> rethrows that exception with its own stack trace.
/// </para>
/// </summary>
public sealed class Prefetcher<T> : IDisposable
{
    private readonly BlockingCollection<(long Index, T Item)> _ready;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private volatile ExceptionDispatchInfo? _failure;
    private bool _disposed;

    /// <param name="make">Makes item <c>index</c>; called on the loader thread, in increasing order.</param>
    /// <param name="first">The index of the first item.</param>
    /// <param name="depth">How many finished items may wait in the queue (at least 1).</param>
    /// <param name="name">The loader thread's name (shown by debuggers and dumps).</param>
    public Prefetcher(Func<long, T> make, long first, int depth = 3, string name = "doppel batch loader")
    {
        ArgumentNullException.ThrowIfNull(make);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        _ready = new BlockingCollection<(long, T)>(depth);
        Next = first;
        _thread = new Thread(() => Produce(make, first)) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>The index the next <see cref="Take"/> must ask for.</summary>
    public long Next { get; private set; }

    /// <summary>
    /// Item <paramref name="index"/> (which must be <see cref="Next"/>), waiting for the loader when
    /// it is not ready. Cancelling <paramref name="cancel"/> while waiting throws
    /// <see cref="OperationCanceledException"/>; the caller owns (and disposes) what it takes.
    /// </summary>
    public T Take(long index, CancellationToken cancel = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (index != Next)
            throw new InvalidOperationException($"the loader hands out item {Next} next, not item {index}: items arrive strictly in order");
        if (!_ready.TryTake(out var entry, Timeout.Infinite, cancel))
        {
            // The queue is complete and empty: the loader stopped, because it failed (Dispose
            // is the only other reason, and a disposed prefetcher refuses Take above).
            _failure?.Throw();
            throw new InvalidOperationException("the loader stopped without an item or an error");
        }
        if (entry.Index != index)
            throw new InvalidOperationException($"the loader made item {entry.Index} where item {index} was due");
        Next = index + 1;
        return entry.Item;
    }

    private void Produce(Func<long, T> make, long index)
    {
        try
        {
            for (; !_stop.IsCancellationRequested; index++)
            {
                var item = make(index);
                try { _ready.Add((index, item), _stop.Token); }
                catch (OperationCanceledException)
                {
                    DisposeItem(item);
                    break;
                }
            }
        }
        catch (Exception e)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            _ready.CompleteAdding();
        }
    }

    private static void DisposeItem(T item)
    {
        if (item is IDisposable disposable) disposable.Dispose();
    }

    /// <summary>Stops the loader (waiting for the item it is making) and disposes every item not taken.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stop.Cancel();
        _thread.Join();
        while (_ready.TryTake(out var left)) DisposeItem(left.Item);
        _ready.Dispose();
        _stop.Dispose();
    }
}
