using System.Collections.Concurrent;
using Doppel.Media.Imaging;
using Doppel.Media.Png;

namespace Doppel.Faces.Extraction;

/// <summary>
/// Encodes and writes face crops on a background thread, so PNG compression of one frame's
/// faces overlaps detection of the next (on two cores this is most of the gain available).
/// The queue is bounded, so a slow disk holds the extractor back instead of filling memory.
/// <see cref="Flush"/> waits until everything queued is on disk and rethrows a write error;
/// callers flush before recording the crops in alignments.json.
/// </summary>
internal sealed class CropWriter : IDisposable
{
    private readonly string _directory;
    private readonly BlockingCollection<(string Name, RgbImage Crop)> _queue = new(boundedCapacity: 32);
    private readonly Thread _thread;
    private readonly object _gate = new();
    private int _pending;
    private Exception? _error;

    public CropWriter(string directory)
    {
        _directory = directory;
        _thread = new Thread(Drain) { IsBackground = true, Name = "doppel crop writer" };
        _thread.Start();
    }

    public void Enqueue(string name, RgbImage crop)
    {
        ThrowIfFailed();
        lock (_gate) _pending++;
        _queue.Add((name, crop));
    }

    public void Flush()
    {
        lock (_gate)
        {
            while (_pending > 0 && _error is null) Monitor.Wait(_gate);
        }
        ThrowIfFailed();
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }

    // Crops are regenerable and written by the thousand: skip the fsync, keep the atomic rename.
    private static readonly PngWriteOptions CropPng = new() { Durable = false };

    private void Drain()
    {
        foreach (var (name, crop) in _queue.GetConsumingEnumerable())
        {
            try
            {
                if (_error is null) PngWriter.Write(Path.Combine(_directory, name), crop, CropPng);
            }
            catch (Exception e)
            {
                lock (_gate) _error ??= e;
            }
            lock (_gate)
            {
                _pending--;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void ThrowIfFailed()
    {
        Exception? error;
        lock (_gate) error = _error;
        if (error is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
    }
}
