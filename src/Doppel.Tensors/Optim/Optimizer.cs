using System.Globalization;
using Doppel.Core;

namespace Doppel.Tensors.Optim;

/// <summary>
/// An optimiser over named parameters. <see cref="Update"/> applies one step (PyTorch's
/// <c>step()</c>; here <see cref="Step"/> is the number of updates so far, which checkpoints
/// store), <see cref="ZeroGrad"/> clears the gradients. Parameters without a gradient (frozen, or
/// unused by this step's loss) are skipped. An exact resume needs <see cref="State"/> (every
/// tensor of the optimiser's state, by name) and <see cref="ScalarState"/> (the step, the learning
/// rate and any other number the optimiser keeps); <see cref="OptimizerCheckpoint"/> writes both
/// to one file.
/// </summary>
public abstract class Optimizer
{
    protected Optimizer(IEnumerable<(string Name, Tensor Tensor)> parameters, float learningRate)
    {
        Parameters = parameters.ToArray();
        var duplicate = Parameters.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"parameter '{duplicate.Key}' is given to the optimiser twice");
        OptimArgs.NonNegative(learningRate, "learning rate");
        LearningRate = learningRate;
    }

    /// <summary>The parameters this optimiser updates, by name.</summary>
    public IReadOnlyList<(string Name, Tensor Tensor)> Parameters { get; }

    /// <summary>
    /// The learning rate of the next update. With a <see cref="LearningRateSchedule"/> it is set
    /// from the schedule at the start of each update, so afterwards it shows the last update's rate.
    /// </summary>
    public float LearningRate { get; set; }

    /// <summary>Number of updates applied so far.</summary>
    public long Step { get; set; }

    /// <summary>
    /// When set, the learning rate of each update is <c>schedule.ValueAt(Step)</c> with Step the
    /// number of updates before it (0 for the first), as PyTorch's loop of <c>optimizer.step();
    /// scheduler.step()</c> gives. A schedule is a pure function of the step, so resuming the step
    /// resumes the schedule.
    /// </summary>
    public ISchedule? LearningRateSchedule { get; set; }

    /// <summary>Applies one update to every parameter that has a gradient (gradients are kept).</summary>
    public void Update()
    {
        ApplySchedules(Step);
        Step++;
        ApplyUpdate();
    }

    /// <summary>Sets the scheduled hyperparameters of the update that follows <paramref name="updatesSoFar"/> updates.</summary>
    protected virtual void ApplySchedules(long updatesSoFar)
    {
        if (LearningRateSchedule is { } schedule) LearningRate = (float)schedule.ValueAt(updatesSoFar);
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

    /// <summary>
    /// Scales the gradients of this optimiser's parameters so that their global L2 norm is at most
    /// <paramref name="maxNorm"/>; returns the norm before clipping (see <see cref="GradientClipping"/>).
    /// Call it between the backward pass and <see cref="Update"/>.
    /// </summary>
    public float ClipGradNorm(float maxNorm) => GradientClipping.ClipByGlobalNorm(Parameters.Select(p => p.Tensor), maxNorm);

    /// <summary>The optimiser's state as named tensors (its own, not copies), for checkpoints.</summary>
    public abstract IEnumerable<(string Name, Tensor Tensor)> State();

    /// <summary>
    /// The numbers besides <see cref="State"/> that an exact resume needs: "step" and "lr" for
    /// every optimiser, plus each optimiser's own (documented on it, e.g. "sgd.momentum"). Every
    /// value is held exactly by a double (the step up to 2^53), so a round-trip through text
    /// ("R" format) or JSON restores it bit for bit.
    /// </summary>
    public IReadOnlyDictionary<string, double> ScalarState()
    {
        var state = new Dictionary<string, double> { ["step"] = Step, ["lr"] = LearningRate };
        WriteScalarState(state);
        return state;
    }

    /// <summary>Restores what <see cref="ScalarState"/> returned; every key it writes must be present.</summary>
    public void LoadScalarState(IReadOnlyDictionary<string, double> state)
    {
        double step = RequireScalar(state, "step");
        if (step < 0 || step != Math.Floor(step) || step > (1L << 53))
            throw new DoppelException($"optimiser state has an impossible step {step.ToString(CultureInfo.InvariantCulture)}", "the checkpoint is damaged; use the previous one");
        Step = (long)step;
        LearningRate = (float)RequireScalar(state, "lr");
        ReadScalarState(state);
    }

    /// <summary>Adds the optimiser's own scalars (names prefixed with the optimiser's, like its tensors).</summary>
    protected virtual void WriteScalarState(IDictionary<string, double> state) { }

    /// <summary>Reads back what <see cref="WriteScalarState"/> wrote (use <see cref="RequireScalar"/>).</summary>
    protected virtual void ReadScalarState(IReadOnlyDictionary<string, double> state) { }

    /// <summary>A scalar from a saved state; a missing one means the state is not this optimiser's.</summary>
    protected double RequireScalar(IReadOnlyDictionary<string, double> state, string name) =>
        state.TryGetValue(name, out double value) ? value
        : throw new DoppelException($"optimiser state has no '{name}' for {GetType().Name}", "was the checkpoint written by another optimiser?");
}
