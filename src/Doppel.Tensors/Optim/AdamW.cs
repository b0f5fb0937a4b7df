namespace Doppel.Tensors.Optim;

/// <summary>
/// AdamW (Loshchilov and Hutter 2019) as PyTorch 1.13's torch.optim.AdamW (no amsgrad): the
/// weight decay is decoupled from the gradient. At update t, first p *= 1 - lr * weight_decay,
/// then Adam's step on the decayed p:
/// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
/// p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
/// The decay factor and bias corrections are computed in double as PyTorch does, then rounded to
/// float; decay and step are fused into Adam's single pass. Defaults are PyTorch's. State:
/// "adamw.m.&lt;param&gt;", "adamw.v.&lt;param&gt;"; scalars: "step", "lr".
/// </summary>
public sealed class AdamW : Optimizer
{
    private readonly AdamMoments _moments;

    public AdamW(IEnumerable<(string Name, Tensor Tensor)> parameters, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 1e-2f)
        : base(parameters, lr)
    {
        OptimArgs.Beta(beta1, nameof(beta1));
        OptimArgs.Beta(beta2, nameof(beta2));
        OptimArgs.NonNegative(eps, nameof(eps));
        OptimArgs.NonNegative(weightDecay, nameof(weightDecay));
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        _moments = new AdamMoments(Parameters, "adamw");
    }

    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Eps { get; }

    /// <summary>Decoupled weight decay: each update first multiplies the parameters by 1 - lr * WeightDecay.</summary>
    public float WeightDecay { get; }

    /// <summary>The kernel width; tests force each twin in turn.</summary>
    internal SimdWidth Width { get; set; } = SimdWidths.Best;

    protected override void ApplyUpdate() =>
        _moments.Update(Width, AdamStep.For(LearningRate, Beta1, Beta2, Eps, Step, WeightDecay));

    public override IEnumerable<(string Name, Tensor Tensor)> State() => _moments.State();
}
