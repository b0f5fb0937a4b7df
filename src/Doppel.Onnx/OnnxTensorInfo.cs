using Microsoft.ML.OnnxRuntime;

namespace Doppel.Onnx;

/// <summary>
/// One input or output of a model as the model declares it. <see cref="Shape"/> has -1 for
/// a dimension left open (usually the batch); <see cref="IsTensor"/> is false for the rare
/// map or sequence values, whose type and shape are then Undefined and empty.
/// </summary>
public sealed record OnnxTensorInfo(string Name, OnnxElementType ElementType, IReadOnlyList<long> Shape, bool IsTensor)
{
    internal static OnnxTensorInfo From(string name, NodeMetadata metadata) => metadata.IsTensor
        ? new(name, (OnnxElementType)metadata.ElementDataType, metadata.Dimensions.Select(d => (long)d).ToArray(), IsTensor: true)
        : new(name, OnnxElementType.Undefined, [], IsTensor: false);

    public override string ToString() => $"{Name}: {ElementType} [{string.Join(", ", Shape)}]";
}
