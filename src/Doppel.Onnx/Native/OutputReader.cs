using Doppel.Core;

namespace Doppel.Onnx.Native;

/// <summary>Copies a float tensor that ORT produced into managed memory, checking its element type.</summary>
internal static unsafe class OutputReader
{
    public static OnnxTensor Read(OrtApi api, OrtValueHandle value, string name)
    {
        long[] shape;
        OnnxElementType type;
        using (var info = api.GetTensorTypeAndShape(value))
        using (var lease = new HandleLease(info))
        {
            type = (OnnxElementType)api.GetTensorElementType(lease.Pointer);
            shape = api.GetDimensions(lease.Pointer);
        }
        if (type != OnnxElementType.Float)
            throw new DoppelException($"model output '{name}' holds {type} values; Doppel.Onnx reads float outputs only");

        long count = 1;
        foreach (long d in shape) count *= d;
        var data = new float[checked((int)count)];
        if (data.Length > 0)
            new ReadOnlySpan<float>(api.GetTensorMutableData(value), data.Length).CopyTo(data);
        return new OnnxTensor(data, shape);
    }
}
