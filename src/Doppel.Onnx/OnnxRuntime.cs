using Doppel.Core;
using Microsoft.ML.OnnxRuntime;

namespace Doppel.Onnx;

/// <summary>
/// The process-wide part of ONNX Runtime: its one environment (ORT allows a single OrtEnv per
/// process), created on first use with logging at errors only, and kept until the process
/// exits. The native library ships in the Microsoft.ML.OnnxRuntime package
/// (runtimes/linux-x64/native) and is found by .NET's own loader.
/// </summary>
public static class OnnxRuntime
{
    private static readonly object Gate = new();
    private static OrtEnv? _env;

    /// <summary>The version string of the loaded runtime, e.g. "1.31.1"; loads it if needed.</summary>
    public static string Version => EnsureLoaded().GetVersionString();

    internal static OrtEnv EnsureLoaded()
    {
        lock (Gate)
        {
            if (_env != null) return _env;
            // Warnings (e.g. about unused initializers) would clutter the CLI.
            var options = new EnvironmentCreationOptions { logId = "doppel", logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            try
            {
                return _env = OrtEnv.CreateInstanceWithOptions(ref options);
            }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
            {
                // The package's native library is missing for this platform, or the loader
                // refused it (wrong architecture, a missing libstdc++): the loader's text says which.
                throw new DoppelException($"cannot load ONNX Runtime's native library: {(e.InnerException ?? e).Message}",
                    "Doppel's ONNX Runtime package (Microsoft.ML.OnnxRuntime) ships it for linux-x64; rebuild with ./doppel setup", e);
            }
        }
    }
}
