using System.Runtime.InteropServices;

namespace Doppel.Onnx.Native;

/// <summary>
/// Keeps a SafeHandle's native object alive for the length of a native call: without the
/// added reference, a Dispose on another thread (or the finalizer of an object the JIT has
/// stopped tracking) could release the object while ORT is still using it.
/// </summary>
internal ref struct HandleLease
{
    private readonly SafeHandle _handle;
    private bool _added;

    public HandleLease(SafeHandle handle)
    {
        _handle = handle;
        _added = false;
        handle.DangerousAddRef(ref _added); // throws ObjectDisposedException once disposed
        Pointer = handle.DangerousGetHandle();
    }

    public nint Pointer { get; }

    public void Dispose()
    {
        if (_added) _handle.DangerousRelease();
        _added = false;
    }
}
