using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Identity;

/// <summary>
/// Person A or person B, from the centre of a face (<see cref="IdentityInput"/>): four 3x3
/// convolution blocks (batch norm, LeakyReLU 0.1, 2x2 max pooling after the first three) from
/// 64 px down to 8x8x<c>4w</c>, a global average, and one logit for B (sigmoid: the probability
/// that the face is B). Small on purpose (about 0.1 M parameters at width 16): it has two people
/// to tell apart from a few thousand crops, and it is trained in a minute or two on 2 cores.
/// </summary>
public sealed class IdentityClassifier : Module<Tensor, Tensor>
{
    private readonly Sequential _features;
    private readonly Linear _head;

    public IdentityClassifier(Rng rng, int width = 16)
    {
        Width = width;
        Sequential Block(int cin, int cout, bool pool)
        {
            var block = new Sequential(new Conv2d(cin, cout, 3, 1, 1, rng, bias: false), new BatchNorm2d(cout), new LeakyReLU(0.1f));
            return pool ? block.Append(new MaxPool2d(2)) : block;
        }
        _features = AddModule("features", new Sequential(
            Block(3, width, pool: true),                 // (N, 32, 32, w)
            Block(width, 2 * width, pool: true),         // (N, 16, 16, 2w)
            Block(2 * width, 4 * width, pool: true),     // (N, 8, 8, 4w)
            Block(4 * width, 8 * width, pool: false)));  // (N, 8, 8, 8w)
        _head = AddModule("head", new Linear(8 * width, 1, rng, init: WeightInit.GlorotUniform));
    }

    public int Width { get; }

    /// <summary>(N, 64, 64, 3) normalised faces -> (N, 1) logits of "this is B".</summary>
    public override Tensor Forward(Tensor faces)
    {
        var x = _features.Forward(faces);                            // (N, 8, 8, 8w)
        x = Ops.Flatten(Ops.AvgPool2d(x, x.Dim(1)));                 // (N, 8w)
        return _head.Forward(x);                                     // (N, 1)
    }
}
