namespace Doppel.Tensors.Nn;

/// <summary>
/// A maxout layer (Goodfellow et al. 2013; their MNIST GAN discriminator uses 240 units x 5
/// pieces): a linear map to units * pieces features, then the max over each unit's pieces,
/// (..., In) -> (..., units). Weight (units * pieces, In), bias (units * pieces).
/// <para>
/// Layout: piece j of unit u is output feature u * pieces + j, so row u * pieces + j of the weight.
/// A unit's pieces are adjacent, which is why: the max reads one contiguous run of floats per unit,
/// the weight reshaped to (units, pieces, In) is the stack of each unit's affine pieces, and it is
/// the order of pylearn2 (the paper's code: z[:, j::pieces] is piece j) and of the usual PyTorch
/// port (linear(x).view(..., units, pieces).max(-1)), so their checkpoints load row for row.
/// </para>
/// </summary>
public sealed class Maxout : Module<Tensor, Tensor>
{
    public Maxout(int inFeatures, int units, int pieces, Rng rng, bool bias = true, WeightInit? init = null)
    {
        if (units < 1 || pieces < 1) throw new ArgumentException($"maxout: {units} units x {pieces} pieces; both must be at least 1");
        Units = units;
        Pieces = pieces;
        Weight = AddParameter("weight", Tensor.Empty(units * pieces, inFeatures));
        Bias = bias ? AddParameter("bias", Tensor.Zeros(units * pieces)) : null;
        (init ?? WeightInit.HeUniform).Fill(Weight, inFeatures, units * pieces, rng);
    }

    public int Units { get; }
    public int Pieces { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) => Ops.Maxout(Ops.Linear(input, Weight, Bias), Pieces);
}
