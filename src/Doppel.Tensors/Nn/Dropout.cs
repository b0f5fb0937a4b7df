namespace Doppel.Tensors.Nn;

/// <summary>
/// Inverted dropout, as PyTorch's nn.Dropout: in training mode each element is zeroed with
/// probability p and the rest scaled by 1 / (1 - p); in eval mode the input passes through
/// unchanged. Masks come from the given <see cref="Rng"/>, so a seed reproduces a run (the
/// masks are not PyTorch's: its generator differs). Goodfellow et al.'s maxout MNIST
/// discriminator keeps 0.8 of its input and 0.5 of its hidden units: p = 0.2 and 0.5.
/// </summary>
public sealed class Dropout : Module<Tensor, Tensor>
{
    private readonly Rng _rng;

    public Dropout(float p, Rng rng)
    {
        if (!(p >= 0f && p <= 1f)) throw new ArgumentException($"dropout: the drop probability must be in [0, 1], not {p}");
        P = p;
        _rng = rng;
    }

    /// <summary>The probability of dropping an element.</summary>
    public float P { get; }

    public override Tensor Forward(Tensor input) => Training && P > 0f ? Ops.Dropout(input, P, _rng) : input;
}
