using System.Runtime.InteropServices;
using System.Text;
using Doppel.Core;

namespace Doppel.Onnx.Native;

/// <summary>
/// The <c>OrtApi</c> function table with typed wrappers for the calls Doppel makes. Every
/// call that returns an <c>OrtStatus*</c> goes through <see cref="Check"/>, which turns a
/// failure into a <see cref="DoppelException"/> carrying ORT's own message and releases the
/// status. Objects come back already wrapped in their SafeHandle, so nothing leaks when a
/// later call throws. Signatures follow onnxruntime_c_api.h; size_t is nuint, enums are int.
/// </summary>
internal sealed unsafe class OrtApi
{
    private readonly nint* _table;

    public OrtApi(nint* table, string version)
    {
        _table = table;
        Version = version;
    }

    /// <summary>The runtime's version string, e.g. "1.30.0".</summary>
    public string Version { get; }

    /// <summary>Throws ORT's message as a DoppelException when <paramref name="status"/> is not null (success).</summary>
    public void Check(nint status, string action, string? hint = null)
    {
        if (status == 0) return;
        var code = (OrtErrorCode)((delegate* unmanaged<nint, int>)_table[OrtApiIndex.GetErrorCode])(status);
        string message = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint, nint>)_table[OrtApiIndex.GetErrorMessage])(status))
                         ?? "(no message)";
        Release(OrtApiIndex.ReleaseStatus, status);
        throw new DoppelException($"ONNX Runtime could not {action} ({code}): {message.Trim()}", hint);
    }

    /// <summary>Calls one of the <c>Release*</c> functions; they all take one pointer and accept null.</summary>
    public void Release(int index, nint pointer) => ((delegate* unmanaged<nint, void>)_table[index])(pointer);

    public OrtEnvHandle CreateEnv(int logSeverity, string logId)
    {
        nint env;
        fixed (byte* id = Utf8(logId))
            Check(((delegate* unmanaged<int, byte*, nint*, nint>)_table[OrtApiIndex.CreateEnv])(logSeverity, id, &env),
                "create its environment");
        return new OrtEnvHandle(this, env);
    }

    public OrtSessionOptionsHandle CreateSessionOptions()
    {
        nint options;
        Check(((delegate* unmanaged<nint*, nint>)_table[OrtApiIndex.CreateSessionOptions])(&options), "create session options");
        return new OrtSessionOptionsHandle(this, options);
    }

    public void SetIntraOpNumThreads(OrtSessionOptionsHandle options, int threads)
    {
        using var o = new HandleLease(options);
        Check(((delegate* unmanaged<nint, int, nint>)_table[OrtApiIndex.SetIntraOpNumThreads])(o.Pointer, threads),
            $"set {threads} intra-op threads");
    }

    public void SetInterOpNumThreads(OrtSessionOptionsHandle options, int threads)
    {
        using var o = new HandleLease(options);
        Check(((delegate* unmanaged<nint, int, nint>)_table[OrtApiIndex.SetInterOpNumThreads])(o.Pointer, threads),
            $"set {threads} inter-op threads");
    }

    /// <summary>Level as in GraphOptimizationLevel: 0 none, 1 basic, 2 extended, 99 all.</summary>
    public void SetGraphOptimizationLevel(OrtSessionOptionsHandle options, int level)
    {
        using var o = new HandleLease(options);
        Check(((delegate* unmanaged<nint, int, nint>)_table[OrtApiIndex.SetSessionGraphOptimizationLevel])(o.Pointer, level),
            $"set graph optimization level {level}");
    }

    public OrtSessionHandle CreateSession(OrtEnvHandle env, string modelPath, OrtSessionOptionsHandle options)
    {
        using var e = new HandleLease(env);
        using var o = new HandleLease(options);
        nint session;
        fixed (byte* path = Utf8(modelPath))
            Check(((delegate* unmanaged<nint, byte*, nint, nint*, nint>)_table[OrtApiIndex.CreateSession])(e.Pointer, path, o.Pointer, &session),
                $"load the model {modelPath}", "check that the file is a complete ONNX model");
        return new OrtSessionHandle(this, session);
    }

    public int SessionIoCount(OrtSessionHandle session, bool inputs)
    {
        using var s = new HandleLease(session);
        nuint count;
        int index = inputs ? OrtApiIndex.SessionGetInputCount : OrtApiIndex.SessionGetOutputCount;
        Check(((delegate* unmanaged<nint, nuint*, nint>)_table[index])(s.Pointer, &count), "count the model's inputs or outputs");
        return checked((int)count);
    }

    /// <summary>An input's or output's name; ORT allocates it with its default allocator, freed here after copying.</summary>
    public string SessionIoName(OrtSessionHandle session, int position, bool input)
    {
        using var s = new HandleLease(session);
        nint allocator;
        Check(((delegate* unmanaged<nint*, nint>)_table[OrtApiIndex.GetAllocatorWithDefaultOptions])(&allocator), "get its default allocator");
        nint name;
        int index = input ? OrtApiIndex.SessionGetInputName : OrtApiIndex.SessionGetOutputName;
        Check(((delegate* unmanaged<nint, nuint, nint, nint*, nint>)_table[index])(s.Pointer, (nuint)position, allocator, &name),
            $"read the name of {(input ? "input" : "output")} {position}");
        try
        {
            return Marshal.PtrToStringUTF8(name) ?? "";
        }
        finally
        {
            Check(((delegate* unmanaged<nint, nint, nint>)_table[OrtApiIndex.AllocatorFree])(allocator, name), "free a name");
        }
    }

    public OrtTypeInfoHandle SessionIoTypeInfo(OrtSessionHandle session, int position, bool input)
    {
        using var s = new HandleLease(session);
        nint info;
        int index = input ? OrtApiIndex.SessionGetInputTypeInfo : OrtApiIndex.SessionGetOutputTypeInfo;
        Check(((delegate* unmanaged<nint, nuint, nint*, nint>)_table[index])(s.Pointer, (nuint)position, &info),
            $"read the type of {(input ? "input" : "output")} {position}");
        return new OrtTypeInfoHandle(this, info);
    }

    /// <summary>The tensor part of a type info, owned by it; 0 when the value is not a tensor (a map or sequence).</summary>
    public nint CastTypeInfoToTensorInfo(nint typeInfo)
    {
        nint tensorInfo;
        Check(((delegate* unmanaged<nint, nint*, nint>)_table[OrtApiIndex.CastTypeInfoToTensorInfo])(typeInfo, &tensorInfo),
            "read a tensor type");
        return tensorInfo;
    }

    public int GetTensorElementType(nint tensorInfo)
    {
        int type;
        Check(((delegate* unmanaged<nint, int*, nint>)_table[OrtApiIndex.GetTensorElementType])(tensorInfo, &type),
            "read a tensor's element type");
        return type;
    }

    /// <summary>A tensor's dimensions; -1 marks a dimension the model leaves open.</summary>
    public long[] GetDimensions(nint tensorInfo)
    {
        nuint rank;
        Check(((delegate* unmanaged<nint, nuint*, nint>)_table[OrtApiIndex.GetDimensionsCount])(tensorInfo, &rank),
            "read a tensor's rank");
        var dims = new long[(int)rank];
        fixed (long* d = dims)
            Check(((delegate* unmanaged<nint, long*, nuint, nint>)_table[OrtApiIndex.GetDimensions])(tensorInfo, d, rank),
                "read a tensor's shape");
        return dims;
    }

    public OrtTensorShapeHandle GetTensorTypeAndShape(OrtValueHandle value)
    {
        using var v = new HandleLease(value);
        nint info;
        Check(((delegate* unmanaged<nint, nint*, nint>)_table[OrtApiIndex.GetTensorTypeAndShape])(v.Pointer, &info),
            "read an output's shape");
        return new OrtTensorShapeHandle(this, info);
    }

    public OrtMemoryInfoHandle CreateCpuMemoryInfo()
    {
        nint info;
        // OrtDeviceAllocator (0), OrtMemTypeDefault (0): plain CPU memory that the caller owns.
        Check(((delegate* unmanaged<int, int, nint*, nint>)_table[OrtApiIndex.CreateCpuMemoryInfo])(0, 0, &info),
            "describe CPU memory");
        return new OrtMemoryInfoHandle(this, info);
    }

    /// <summary>
    /// A tensor over caller memory (not copied): <paramref name="data"/> must stay pinned until
    /// the returned value is released.
    /// </summary>
    public OrtValueHandle CreateTensorWithData(OrtMemoryInfoHandle memory, void* data, nuint bytes,
        long* shape, nuint rank, int elementType, string name)
    {
        using var m = new HandleLease(memory);
        nint value;
        Check(((delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)_table[OrtApiIndex.CreateTensorWithDataAsOrtValue])(
            m.Pointer, data, bytes, shape, rank, elementType, &value), $"wrap input '{name}' as a tensor");
        return new OrtValueHandle(this, value);
    }

    public void* GetTensorMutableData(OrtValueHandle value)
    {
        using var v = new HandleLease(value);
        void* data;
        Check(((delegate* unmanaged<nint, void**, nint>)_table[OrtApiIndex.GetTensorMutableData])(v.Pointer, &data),
            "read an output's data");
        return data;
    }

    /// <summary>OrtApi::Run; <paramref name="outputs"/> must be zeroed so ORT allocates each output.</summary>
    public void Run(OrtSessionHandle session, byte** inputNames, nint* inputs, nuint inputCount,
        byte** outputNames, nuint outputCount, nint* outputs, string modelName)
    {
        using var s = new HandleLease(session);
        Check(((delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint>)_table[OrtApiIndex.Run])(
            s.Pointer, 0, inputNames, inputs, inputCount, outputNames, outputCount, outputs), $"run {modelName}");
    }

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="s"/> for a C string parameter.</summary>
    public static byte[] Utf8(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
