using Doppel.Tensors;

namespace Doppel.Swap.Data;

/// <summary>
/// One side's examples for one step: warped inputs (N, S, S, 3), unwarped targets (N, S, S, 3) and
/// loss weights (N, S, S, 1), or null weights when the face set has no landmarks. The tensors are
/// made off any scope (on the loader thread), so the consumer disposes them.
/// </summary>
public sealed class SideBatch(Tensor input, Tensor target, Tensor? mask) : IDisposable
{
    public Tensor Input { get; } = input;
    public Tensor Target { get; } = target;
    public Tensor? Mask { get; } = mask;

    public void Dispose()
    {
        Input.Dispose();
        Target.Dispose();
        Mask?.Dispose();
    }
}

/// <summary>Both sides' examples for the step numbered <see cref="Iteration"/> (0-based).</summary>
public sealed class TrainingBatch(long iteration, SideBatch a, SideBatch b) : IDisposable
{
    public long Iteration { get; } = iteration;
    public SideBatch A { get; } = a;
    public SideBatch B { get; } = b;

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }
}
