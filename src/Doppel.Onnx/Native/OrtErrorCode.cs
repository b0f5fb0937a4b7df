namespace Doppel.Onnx.Native;

/// <summary>ONNX Runtime's <c>OrtErrorCode</c>, named in messages so a report says which kind of failure it was.</summary>
internal enum OrtErrorCode
{
    Ok,
    Fail,
    InvalidArgument,
    NoSuchFile,
    NoModel,
    EngineError,
    RuntimeException,
    InvalidProtobuf,
    ModelLoaded,
    NotImplemented,
    InvalidGraph,
    EpFail,
}
