namespace Doppel.Onnx;

/// <summary>
/// Counts the runs in progress on a session so that closing it waits for them: the last run
/// to leave a closed session releases it. ORT's managed session frees its native handle as
/// soon as it is disposed, which a run on another thread would then be using.
/// </summary>
internal sealed class RunGuard
{
    private readonly object _gate = new();
    private int _active;
    private bool _closed;
    private Action? _pendingRelease;

    /// <summary>Admits one run; throws <see cref="ObjectDisposedException"/> once closed.</summary>
    public Lease Enter(object owner)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, owner);
            _active++;
        }
        return new Lease(this);
    }

    /// <summary>Closes once: runs <paramref name="release"/> now, or when the last run in progress leaves.</summary>
    public void Close(Action release)
    {
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            if (_active > 0) { _pendingRelease = release; return; }
        }
        release();
    }

    private void Exit()
    {
        Action? release;
        lock (_gate)
        {
            if (--_active > 0 || !_closed) return;
            release = _pendingRelease;
            _pendingRelease = null;
        }
        release?.Invoke();
    }

    public readonly struct Lease(RunGuard guard) : IDisposable
    {
        public void Dispose() => guard.Exit();
    }
}
