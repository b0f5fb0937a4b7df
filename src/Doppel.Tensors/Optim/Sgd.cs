namespace Doppel.Tensors.Optim;

/// <summary>
/// Stochastic gradient descent with momentum, PyTorch 1.13's torch.optim.SGD rule (dampening 0):
/// d = g + weight_decay * p; buf = momentum * buf + d; d = nesterov ? d + momentum * buf : buf;
/// p -= lr * d. The momentum buffer starts at zero, which gives PyTorch's first step (buf = d)
/// exactly; with momentum 0 the buffer is not touched (PyTorch keeps none), so Nesterov with
/// momentum 0 is plain SGD. <see cref="Momentum"/> may change between updates, by hand or through
/// <see cref="MomentumSchedule"/> (e.g. <see cref="MomentumRamp"/>, Goodfellow et al.'s 0.5 to
/// 0.7). State: "sgd.momentum_buffer.&lt;param&gt;" for every parameter (always kept, so the names
/// do not depend on the momentum); scalars: "step", "lr", "sgd.momentum".
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor[] _buffers;

    public Sgd(IEnumerable<(string Name, Tensor Tensor)> parameters, float lr, float momentum = 0f, bool nesterov = false, float weightDecay = 0f)
        : base(parameters, lr)
    {
        OptimArgs.NonNegative(momentum, nameof(momentum));
        OptimArgs.NonNegative(weightDecay, nameof(weightDecay));
        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        _buffers = Parameters.Select(p => Tensor.Zeros(p.Tensor.Shape).Persist()).ToArray();
    }

    /// <summary>The momentum of the next update (PyTorch's param_group['momentum']).</summary>
    public float Momentum { get; set; }

    public bool Nesterov { get; }

    /// <summary>L2 weight decay added to the gradient (coupled, as PyTorch's SGD does).</summary>
    public float WeightDecay { get; }

    /// <summary>When set, the momentum of each update is <c>schedule.ValueAt(Step)</c> with Step the number of updates before it.</summary>
    public ISchedule? MomentumSchedule { get; set; }

    /// <summary>The kernel width; tests force each twin in turn.</summary>
    internal SimdWidth Width { get; set; } = SimdWidths.Best;

    protected override void ApplySchedules(long updatesSoFar)
    {
        base.ApplySchedules(updatesSoFar);
        if (MomentumSchedule is { } schedule) Momentum = (float)schedule.ValueAt(updatesSoFar);
    }

    protected override void ApplyUpdate()
    {
        var step = new SgdStep(LearningRate, Momentum, WeightDecay, Nesterov);
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i].Tensor;
            if (p.Grad is null) continue;
            SgdKernel.Update(Width, p.Data, p.Grad.Data, _buffers[i].Data, step);
        }
    }

    public override IEnumerable<(string Name, Tensor Tensor)> State()
    {
        for (int i = 0; i < Parameters.Count; i++) yield return ("sgd.momentum_buffer." + Parameters[i].Name, _buffers[i]);
    }

    protected override void WriteScalarState(IDictionary<string, double> state) => state["sgd.momentum"] = Momentum;

    protected override void ReadScalarState(IReadOnlyDictionary<string, double> state) => Momentum = (float)RequireScalar(state, "sgd.momentum");
}
