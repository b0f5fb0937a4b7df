namespace Doppel.Tensors;

/// <summary>
/// The backward half of one op: its inputs and a function that, given the gradient of the op's
/// output, adds each input's gradient contribution (via <see cref="Tensor.GradBuffer"/> or
/// <see cref="Tensor.AccumulateGrad"/>) for the inputs that require it.
/// </summary>
internal sealed class GradNode(string op, Tensor[] inputs, Action<Tensor> backward)
{
    public string Op { get; } = op;
    public Tensor[] Inputs { get; } = inputs;
    public Action<Tensor> BackwardFn { get; } = backward;
}
