namespace Doppel.Tensors.Optim;

/// <summary>
/// A hyperparameter (learning rate, momentum) as a function of the optimiser's step: the number
/// of updates before the one it is used for (0 for the first). This is PyTorch's scheduler
/// <c>last_epoch</c> when the loop calls <c>optimizer.step(); scheduler.step()</c>, with the
/// scheduler's closed form instead of its recursive one (equal up to rounding in double). Being a
/// pure function of the step, a schedule needs no state of its own to resume. Assign one to
/// <see cref="Optimizer.LearningRateSchedule"/> (or <see cref="Sgd.MomentumSchedule"/>), or set
/// the value yourself before each update.
/// </summary>
public interface ISchedule
{
    double ValueAt(long step);
}
