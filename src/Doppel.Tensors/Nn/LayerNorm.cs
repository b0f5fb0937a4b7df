namespace Doppel.Tensors.Nn;

/// <summary>
/// Layer normalisation over the trailing axes given by normalizedShape, as PyTorch's
/// nn.LayerNorm: weight (ones) and bias (zeros) of that shape unless elementwiseAffine is off.
/// </summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    private readonly int[] _normalizedShape;

    public LayerNorm(int[] normalizedShape, float eps = 1e-5f, bool elementwiseAffine = true)
    {
        if (normalizedShape.Length == 0 || normalizedShape.Any(d => d < 1))
            throw new ArgumentException($"layer_norm: normalizedShape {ShapeUtil.Format(normalizedShape)} needs at least one axis, each >= 1");
        _normalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = AddParameter("weight", Tensor.Ones((int[])_normalizedShape.Clone()));
            Bias = AddParameter("bias", Tensor.Zeros((int[])_normalizedShape.Clone()));
        }
    }

    /// <summary>Over the last axis only, of size <paramref name="features"/>.</summary>
    public LayerNorm(int features, float eps = 1e-5f, bool elementwiseAffine = true) : this([features], eps, elementwiseAffine)
    {
    }

    public IReadOnlyList<int> NormalizedShape => _normalizedShape;
    public float Eps { get; }
    public Tensor? Weight { get; }
    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) => Ops.LayerNorm(input, _normalizedShape, Weight, Bias, Eps);
}
