namespace Doppel.Onnx.Native;

/// <summary>
/// Positions of the function pointers Doppel uses in ONNX Runtime's <c>OrtApi</c> struct
/// (<c>include/onnxruntime/core/session/onnxruntime_c_api.h</c>). The struct only ever grows at
/// its end, so these indices hold for every API version from <see cref="OrtApiVersion.Requested"/>
/// on. Counted from the header's declaration order; the ones stack.md lists as seen working
/// (2, 3, 7, 9, 10, 24, 30, 49, 51, 69) agree with that count.
/// </summary>
internal static class OrtApiIndex
{
    public const int GetErrorCode = 1;
    public const int GetErrorMessage = 2;
    public const int CreateEnv = 3;
    public const int CreateSession = 7;
    public const int Run = 9;
    public const int CreateSessionOptions = 10;
    public const int SetSessionGraphOptimizationLevel = 23;
    public const int SetIntraOpNumThreads = 24;
    public const int SetInterOpNumThreads = 25;
    public const int SessionGetInputCount = 30;
    public const int SessionGetOutputCount = 31;
    public const int SessionGetInputTypeInfo = 33;
    public const int SessionGetOutputTypeInfo = 34;
    public const int SessionGetInputName = 36;
    public const int SessionGetOutputName = 37;
    public const int CreateTensorWithDataAsOrtValue = 49;
    public const int GetTensorMutableData = 51;
    public const int CastTypeInfoToTensorInfo = 55;
    public const int GetTensorElementType = 60;
    public const int GetDimensionsCount = 61;
    public const int GetDimensions = 62;
    public const int GetTensorShapeElementCount = 64;
    public const int GetTensorTypeAndShape = 65;
    public const int CreateCpuMemoryInfo = 69;
    public const int AllocatorFree = 76;
    public const int GetAllocatorWithDefaultOptions = 78;
    public const int ReleaseEnv = 92;
    public const int ReleaseStatus = 93;
    public const int ReleaseMemoryInfo = 94;
    public const int ReleaseSession = 95;
    public const int ReleaseValue = 96;
    public const int ReleaseTypeInfo = 98;
    public const int ReleaseTensorTypeAndShapeInfo = 99;
    public const int ReleaseSessionOptions = 100;

    /// <summary>One past the highest index used: the table must have at least this many entries.</summary>
    public const int Count = 101;
}

/// <summary>The API version Doppel asks for.</summary>
internal static class OrtApiVersion
{
    /// <summary>
    /// Version 13 (ONNX Runtime 1.13) has every function above; newer runtimes serve older
    /// versions unchanged, and asking for the oldest sufficient one keeps the binding working
    /// with any runtime from 1.13 on.
    /// </summary>
    public const uint Requested = 13;
}
