using System.Runtime.InteropServices;
using Doppel.Core;

namespace Doppel.Onnx.Native;

/// <summary>
/// Finds and loads <c>libonnxruntime.so.1</c> and returns its function table. The library is
/// the official Linux build shipped inside the npm package onnxruntime-node (the NuGet package
/// is not available here), unpacked into the cache by <c>./doppel setup</c>. It is loaded by
/// full path, once per process, and never unloaded: ORT keeps global state (thread pools,
/// the environment) that must outlive every session.
/// </summary>
internal static unsafe class OrtNativeLibrary
{
    public const string Package = "onnxruntime-node@1.30.0";
    public const string RelativePath = "bin/napi-v6/linux/x64/libonnxruntime.so.1";
    public const string SetupHint = "run ./doppel setup (npm onnxruntime-node@1.30.0)";

    private static readonly object Gate = new();
    private static OrtApi? _shared;

    /// <summary>Where the cache keeps the library; the file may not exist.</summary>
    public static string DefaultPath =>
        Path.Combine(DoppelPaths.Cache, "npm", Package, "package", RelativePath);

    /// <summary>
    /// The process-wide table, loaded on first use. A failure is not remembered, so a process
    /// that reports "run ./doppel setup" can succeed once the user has done so.
    /// </summary>
    public static OrtApi Shared
    {
        get
        {
            lock (Gate) return _shared ??= Load(DefaultPath);
        }
    }

    /// <summary>Loads the library at <paramref name="path"/> and asks it for the API version Doppel uses.</summary>
    public static OrtApi Load(string path)
    {
        if (!File.Exists(path))
            throw new DoppelException($"ONNX Runtime library not found: {path}", SetupHint);

        nint library;
        try
        {
            library = NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            // The file exists but the loader refused it: truncated download, wrong architecture,
            // or a missing libstdc++. dlerror's text (inside e.Message) says which.
            throw new DoppelException($"cannot load ONNX Runtime from {path}: {e.Message}", SetupHint, e);
        }
        catch (BadImageFormatException e)
        {
            throw new DoppelException($"cannot load ONNX Runtime from {path}: {e.Message}", SetupHint, e);
        }

        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out nint getApiBase))
            throw new DoppelException($"{path} is not ONNX Runtime (it has no OrtGetApiBase)", SetupHint);

        // OrtApiBase is { const OrtApi* (*GetApi)(uint32_t version); const char* (*GetVersionString)(void); }.
        nint* apiBase = ((delegate* unmanaged<nint*>)getApiBase)();
        var getApi = (delegate* unmanaged<uint, nint*>)apiBase[0];
        var getVersion = (delegate* unmanaged<byte*>)apiBase[1];
        string version = Marshal.PtrToStringUTF8((nint)getVersion()) ?? "?";

        nint* table = getApi(OrtApiVersion.Requested);
        if (table == null)
            throw new DoppelException(
                $"ONNX Runtime {version} at {path} does not offer C API version {OrtApiVersion.Requested}", SetupHint);
        return new OrtApi(table, version);
    }
}
