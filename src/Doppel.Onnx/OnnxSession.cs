using Doppel.Core;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Doppel.Onnx;

/// <summary>
/// A loaded ONNX model on Microsoft's ONNX Runtime (the Microsoft.ML.OnnxRuntime package).
/// <see cref="Run(IReadOnlyDictionary{string, OnnxTensor}, IReadOnlyList{string}?)"/> takes
/// named float tensors and returns named float tensors; shapes and names are checked by ONNX
/// Runtime itself, whose message comes back in a <see cref="DoppelException"/>. Runs may
/// overlap on several threads (ORT allows concurrent Run on one session). Dispose releases the
/// session once the runs in progress have returned: the managed API frees the native session
/// at once, so the guard here keeps a Dispose on another thread from pulling it out from
/// under a run.
/// </summary>
public sealed class OnnxSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _displayName;
    private readonly RunOptions _runOptions = new();
    private readonly RunGuard _guard = new();

    private OnnxSession(InferenceSession session, string modelPath)
    {
        _session = session;
        ModelPath = modelPath;
        _displayName = Path.GetFileName(modelPath);
        Inputs = session.InputNames.Select(n => OnnxTensorInfo.From(n, session.InputMetadata[n])).ToArray();
        Outputs = session.OutputNames.Select(n => OnnxTensorInfo.From(n, session.OutputMetadata[n])).ToArray();
    }

    /// <summary>Loads a model file. A missing file is reported before ORT is even loaded.</summary>
    public static OnnxSession Open(string modelPath, OnnxSessionOptions? options = null)
    {
        options ??= OnnxSessionOptions.Default;
        options.Validate();
        string full = Path.GetFullPath(modelPath);
        if (!File.Exists(full))
            throw new DoppelException($"ONNX model not found: {full}", "check the path, or run ./doppel setup if it comes from a package");

        OnnxRuntime.EnsureLoaded();
        using var sessionOptions = options.ToOrt();
        InferenceSession session;
        try
        {
            session = new InferenceSession(full, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw OnnxErrors.Wrap(e, $"ONNX Runtime could not load the model {full}", "check that the file is a complete ONNX model");
        }
        try
        {
            return new OnnxSession(session, full);
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
        string[] wanted = outputNames?.ToArray() ?? Outputs.Select(o => o.Name).ToArray();
        using var lease = _guard.Enter(this);
        // ORT reads the callers' arrays in place (pinned for the run), as the tensors promise.
        var values = new List<OrtValue>(inputs.Count);
        try
        {
            foreach (var tensor in inputs.Values)
                values.Add(OrtValue.CreateTensorValueFromMemory(tensor.Data, tensor.Shape.ToArray()));
            using var results = _session.Run(_runOptions, inputs.Keys.ToArray(), values, wanted);
            var named = new Dictionary<string, OnnxTensor>(wanted.Length);
            int i = 0;
            foreach (var value in results)
            {
                named[wanted[i]] = CopyOut(value, wanted[i]);
                i++;
            }
            return named;
        }
        catch (OnnxRuntimeException e)
        {
            throw OnnxErrors.Wrap(e, $"ONNX Runtime could not run {_displayName}");
        }
        finally
        {
            foreach (var value in values) value.Dispose();
        }
    }

    /// <summary>Copies a float output into managed memory, so it outlives the run.</summary>
    private static OnnxTensor CopyOut(OrtValue value, string name)
    {
        if (!value.IsTensor)
            throw new DoppelException($"model output '{name}' is a {value.OnnxType}, not a tensor; Doppel.Onnx reads float tensors only");
        var info = value.GetTensorTypeAndShape();
        if (info.ElementDataType != TensorElementType.Float)
            throw new DoppelException($"model output '{name}' holds {(OnnxElementType)info.ElementDataType} values; Doppel.Onnx reads float outputs only");
        return new OnnxTensor(value.GetTensorDataAsSpan<float>().ToArray(), info.Shape);
    }

    public void Dispose() => _guard.Close(() =>
    {
        _session.Dispose();
        _runOptions.Dispose();
    });

    public override string ToString() => $"OnnxSession {_displayName} ({string.Join(", ", Inputs)} -> {string.Join(", ", Outputs)})";
}
