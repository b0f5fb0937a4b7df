namespace Doppel.Tensors.Optim;

/// <summary>
/// Adam (Kingma and Ba 2015) with PyTorch 1.13's update rule (torch.optim.Adam without weight
/// decay or amsgrad), so parity fixtures match. At update t:
/// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
/// p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps),
/// the bias corrections in double. One fused, vectorised pass per parameter (see
/// <see cref="AdamKernel"/>). State: "adam.m.&lt;param&gt;" and "adam.v.&lt;param&gt;" (checkpoints
/// use these names); scalars: "step", "lr".
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly AdamMoments _moments;

    /// <summary>Defaults are the face-swap trainer's (beta1 0.5, as in DeepFaceLab), not PyTorch's (0.9).</summary>
    public Adam(IEnumerable<(string Name, Tensor Tensor)> parameters, float lr = 5e-5f, float beta1 = 0.5f, float beta2 = 0.999f, float eps = 1e-8f)
        : base(parameters, lr)
    {
        OptimArgs.Beta(beta1, nameof(beta1));
        OptimArgs.Beta(beta2, nameof(beta2));
        OptimArgs.NonNegative(eps, nameof(eps));
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        _moments = new AdamMoments(Parameters, "adam");
    }

    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Eps { get; }

    /// <summary>The kernel width; tests force each twin in turn.</summary>
    internal SimdWidth Width { get; set; } = SimdWidths.Best;

    protected override void ApplyUpdate() =>
        _moments.Update(Width, AdamStep.For(LearningRate, Beta1, Beta2, Eps, Step, weightDecay: 0));

    /// <summary>The optimizer state as named tensors ("adam.m.&lt;param&gt;", "adam.v.&lt;param&gt;"), for checkpoints.</summary>
    public override IEnumerable<(string Name, Tensor Tensor)> State() => _moments.State();
}
