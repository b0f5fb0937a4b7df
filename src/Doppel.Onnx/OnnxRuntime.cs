using Doppel.Onnx.Native;

namespace Doppel.Onnx;

/// <summary>
/// The process-wide part of ONNX Runtime: the loaded library, its one environment (ORT allows
/// a single OrtEnv per process) and the CPU memory description that every input tensor uses.
/// Created on first use and kept until the process exits.
/// </summary>
public static class OnnxRuntime
{
    // ORT_LOGGING_LEVEL_ERROR: warnings (e.g. about unused initializers) would clutter the CLI.
    private const int LogSeverityError = 3;

    private static readonly object Gate = new();
    private static State? _state;

    /// <summary>The version string of the loaded runtime, e.g. "1.30.0"; loads it if needed.</summary>
    public static string Version => Current.Api.Version;

    /// <summary>The path the runtime is loaded from: the onnxruntime-node package in the cache.</summary>
    public static string LibraryPath => OrtNativeLibrary.DefaultPath;

    internal static State Current
    {
        get
        {
            lock (Gate)
            {
                if (_state != null) return _state;
                OrtApi api = OrtNativeLibrary.Shared;
                var env = api.CreateEnv(LogSeverityError, "doppel");
                var memory = api.CreateCpuMemoryInfo();
                return _state = new State(api, env, memory);
            }
        }
    }

    internal sealed record State(OrtApi Api, OrtEnvHandle Env, OrtMemoryInfoHandle CpuMemory);
}
