using System.Runtime.InteropServices;

namespace Doppel.Onnx.Native;

/// <summary>
/// Owns one ONNX Runtime object and releases it with the matching <c>Release*</c> function
/// exactly once, even when the owner is never disposed (the finalizer runs it) or is disposed
/// while another thread still uses it (SafeHandle's reference count defers the release).
/// One subclass per object kind keeps a session from being passed where a value is expected.
/// </summary>
internal abstract unsafe class OrtHandle : SafeHandle
{
    private readonly OrtApi _api;
    private readonly int _releaseIndex;

    protected OrtHandle(OrtApi api, nint pointer, int releaseIndex) : base(0, ownsHandle: true)
    {
        _api = api;
        _releaseIndex = releaseIndex;
        SetHandle(pointer);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        _api.Release(_releaseIndex, handle);
        return true;
    }
}

internal sealed class OrtEnvHandle(OrtApi api, nint pointer) : OrtHandle(api, pointer, OrtApiIndex.ReleaseEnv);

internal sealed class OrtSessionOptionsHandle(OrtApi api, nint pointer) : OrtHandle(api, pointer, OrtApiIndex.ReleaseSessionOptions);

internal sealed class OrtSessionHandle(OrtApi api, nint pointer) : OrtHandle(api, pointer, OrtApiIndex.ReleaseSession);

internal sealed class OrtValueHandle(OrtApi api, nint pointer) : OrtHandle(api, pointer, OrtApiIndex.ReleaseValue);

internal sealed class OrtMemoryInfoHandle(OrtApi api, nint pointer) : OrtHandle(api, pointer, OrtApiIndex.ReleaseMemoryInfo);

internal sealed class OrtTypeInfoHandle(OrtApi api, nint pointer) : OrtHandle(api, pointer, OrtApiIndex.ReleaseTypeInfo);

internal sealed class OrtTensorShapeHandle(OrtApi api, nint pointer) : OrtHandle(api, pointer, OrtApiIndex.ReleaseTensorTypeAndShapeInfo);
