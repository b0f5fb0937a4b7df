namespace Doppel.Tensors.Optim;

/// <summary>
/// An optimiser over named parameters. <see cref="Update"/> applies one step (PyTorch's
/// <c>step()</c>; here <see cref="Step"/> is the number of updates so far, which checkpoints
/// store), <see cref="ZeroGrad"/> clears the gradients. Parameters without a gradient (frozen, or
/// unused by this step's loss) are skipped. <see cref="State"/> names every tensor of the
/// optimiser's state, and with <see cref="Step"/> and <see cref="LearningRate"/> is all that an
/// exact resume needs.
/// </summary>
public abstract class Optimizer
{
    protected Optimizer(IEnumerable<(string Name, Tensor Tensor)> parameters, float learningRate)
    {
        Parameters = parameters.ToArray();
        var duplicate = Parameters.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"parameter '{duplicate.Key}' is given to the optimiser twice");
        LearningRate = learningRate;
    }

    /// <summary>The parameters this optimiser updates, by name.</summary>
    public IReadOnlyList<(string Name, Tensor Tensor)> Parameters { get; }

    /// <summary>The learning rate of the next update; a schedule sets it before each step.</summary>
    public float LearningRate { get; set; }

    /// <summary>Number of updates applied so far.</summary>
    public long Step { get; set; }

    /// <summary>Applies one update to every parameter that has a gradient (gradients are kept).</summary>
    public void Update()
    {
        Step++;
        ApplyUpdate();
    }

    /// <summary>The update itself; <see cref="Step"/> is already the number of this update (1 for the first).</summary>
    protected abstract void ApplyUpdate();

    /// <summary>Clears the gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in Parameters) p.ZeroGrad();
    }

    /// <summary>One update, then the gradients cleared: the usual end of a training step.</summary>
    public void StepAndZeroGrad()
    {
        Update();
        ZeroGrad();
    }

    /// <summary>The optimiser's state as named tensors (its own, not copies), for checkpoints.</summary>
    public abstract IEnumerable<(string Name, Tensor Tensor)> State();
}
