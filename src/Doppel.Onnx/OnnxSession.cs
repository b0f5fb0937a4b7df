using System.Runtime.InteropServices;
using Doppel.Core;
using Doppel.Onnx.Native;

namespace Doppel.Onnx;

/// <summary>
/// A loaded ONNX model. <see cref="Run(IReadOnlyDictionary{string, OnnxTensor}, IReadOnlyList{string}?)"/>
/// takes named float tensors and returns named float tensors; shapes and names are checked by
/// ONNX Runtime itself, whose message comes back in a <see cref="DoppelException"/>. Runs may
/// overlap on several threads (ORT allows concurrent Run on one session). Dispose releases the
/// native session; a run in progress keeps it alive until it returns.
/// </summary>
public sealed unsafe class OnnxSession : IDisposable
{
    private readonly OnnxRuntime.State _runtime;
    private readonly OrtSessionHandle _session;
    private readonly string _displayName;

    private OnnxSession(OnnxRuntime.State runtime, OrtSessionHandle session, string modelPath)
    {
        _runtime = runtime;
        _session = session;
        ModelPath = modelPath;
        _displayName = Path.GetFileName(modelPath);
        Inputs = SessionSignature.Read(runtime.Api, session, inputs: true);
        Outputs = SessionSignature.Read(runtime.Api, session, inputs: false);
    }

    /// <summary>Loads a model file. A missing file is reported before ORT is even loaded.</summary>
    public static OnnxSession Open(string modelPath, OnnxSessionOptions? options = null)
    {
        options ??= OnnxSessionOptions.Default;
        options.Validate();
        string full = Path.GetFullPath(modelPath);
        if (!File.Exists(full))
            throw new DoppelException($"ONNX model not found: {full}", "check the path, or run ./doppel setup if it comes from a package");

        var runtime = OnnxRuntime.Current;
        var api = runtime.Api;
        using var sessionOptions = api.CreateSessionOptions();
        api.SetIntraOpNumThreads(sessionOptions, options.IntraOpThreads);
        // Doppel's models are single chains of operators: a second pool for parallel branches
        // would only add idle threads.
        api.SetInterOpNumThreads(sessionOptions, 1);
        api.SetGraphOptimizationLevel(sessionOptions, 99);
        var session = api.CreateSession(runtime.Env, full, sessionOptions);
        try
        {
            return new OnnxSession(runtime, session, full);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public string ModelPath { get; }

    /// <summary>The model's declared inputs, in the model's order.</summary>
    public IReadOnlyList<OnnxTensorInfo> Inputs { get; }

    /// <summary>The model's declared outputs, in the model's order.</summary>
    public IReadOnlyList<OnnxTensorInfo> Outputs { get; }

    /// <summary>Runs the model on one input tensor (the usual case); returns every output by name.</summary>
    public IReadOnlyDictionary<string, OnnxTensor> Run(string inputName, OnnxTensor input) =>
        Run(new Dictionary<string, OnnxTensor> { [inputName] = input });

    /// <summary>
    /// Runs the model. <paramref name="outputNames"/> picks outputs (all of them when null);
    /// the result maps each to a tensor copied out of ORT's memory.
    /// </summary>
    public IReadOnlyDictionary<string, OnnxTensor> Run(IReadOnlyDictionary<string, OnnxTensor> inputs,
        IReadOnlyList<string>? outputNames = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ObjectDisposedException.ThrowIf(_session.IsClosed, this);
        string[] wanted = outputNames?.ToArray() ?? Outputs.Select(o => o.Name).ToArray();
        var api = _runtime.Api;

        var names = new NativeUtf8Array(inputs.Keys.Concat(wanted));
        var pins = new List<GCHandle>(inputs.Count * 2);
        var values = new OrtValueHandle[inputs.Count];
        var outputs = new nint[wanted.Length];
        try
        {
            var inputPointers = new nint[inputs.Count];
            int i = 0;
            foreach (var (name, tensor) in inputs)
            {
                // ORT reads the caller's array in place, so it stays pinned until the run returns.
                var data = GCHandle.Alloc(tensor.Data, GCHandleType.Pinned);
                pins.Add(data);
                var shape = GCHandle.Alloc(tensor.Shape.ToArray(), GCHandleType.Pinned);
                pins.Add(shape);
                values[i] = api.CreateTensorWithData(_runtime.CpuMemory, (void*)data.AddrOfPinnedObject(),
                    (nuint)((long)tensor.Data.Length * sizeof(float)), (long*)shape.AddrOfPinnedObject(),
                    (nuint)tensor.Shape.Count, (int)OnnxElementType.Float, name);
                inputPointers[i] = values[i].DangerousGetHandle();
                i++;
            }

            fixed (nint* inPtr = inputPointers)
            fixed (nint* outPtr = outputs)
                api.Run(_session, names.Pointers, inPtr, (nuint)inputs.Count,
                    names.Pointers + inputs.Count, (nuint)wanted.Length, outPtr, _displayName);

            var result = new Dictionary<string, OnnxTensor>(wanted.Length);
            for (int o = 0; o < wanted.Length; o++)
            {
                using var value = new OrtValueHandle(api, outputs[o]);
                outputs[o] = 0; // owned by the handle from here on
                result[wanted[o]] = OutputReader.Read(api, value, wanted[o]);
            }
            return result;
        }
        finally
        {
            foreach (nint leftover in outputs)
                if (leftover != 0) api.Release(OrtApiIndex.ReleaseValue, leftover);
            foreach (var value in values) value?.Dispose();
            foreach (var pin in pins) pin.Free();
            names.Dispose();
        }
    }

    public void Dispose() => _session.Dispose();

    public override string ToString() => $"OnnxSession {_displayName} ({string.Join(", ", Inputs)} -> {string.Join(", ", Outputs)})";
}
