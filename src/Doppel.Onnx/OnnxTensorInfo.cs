namespace Doppel.Onnx;

/// <summary>
/// One input or output of a model as the model declares it. <see cref="Shape"/> has -1 for
/// a dimension left open (usually the batch); <see cref="IsTensor"/> is false for the rare
/// map or sequence values, whose type and shape are then Undefined and empty.
/// </summary>
public sealed record OnnxTensorInfo(string Name, OnnxElementType ElementType, IReadOnlyList<long> Shape, bool IsTensor)
{
    public override string ToString() => $"{Name}: {ElementType} [{string.Join(", ", Shape)}]";
}
