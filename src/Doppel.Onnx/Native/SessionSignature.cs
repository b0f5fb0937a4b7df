namespace Doppel.Onnx.Native;

/// <summary>Reads a session's declared inputs and outputs (names, element types, shapes) once, when it opens.</summary>
internal static class SessionSignature
{
    public static OnnxTensorInfo[] Read(OrtApi api, OrtSessionHandle session, bool inputs)
    {
        var infos = new OnnxTensorInfo[api.SessionIoCount(session, inputs)];
        for (int i = 0; i < infos.Length; i++)
        {
            string name = api.SessionIoName(session, i, inputs);
            using var typeInfo = api.SessionIoTypeInfo(session, i, inputs);
            using var lease = new HandleLease(typeInfo);
            nint tensor = api.CastTypeInfoToTensorInfo(lease.Pointer);
            infos[i] = tensor == 0
                ? new OnnxTensorInfo(name, OnnxElementType.Undefined, [], IsTensor: false)
                : new OnnxTensorInfo(name, (OnnxElementType)api.GetTensorElementType(tensor), api.GetDimensions(tensor), IsTensor: true);
        }
        return infos;
    }
}
