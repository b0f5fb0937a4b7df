using Doppel.Training;

namespace Doppel.Swap.Data;

/// <summary>
/// The swap trainer's batches made ahead on a background thread: a <see cref="Prefetcher{T}"/>
/// of <see cref="BatchBuilder.Build"/> (bounded queue, strict order, untaken batches disposed,
/// the builder's failure rethrown when its batch is due). The training loop uses the prefetcher
/// directly; this keeps the two-side batch's own name for callers that want one.
/// </summary>
public sealed class BatchPipeline(BatchBuilder builder, long firstIteration, int depth = 3) : IDisposable
{
    private readonly Prefetcher<TrainingBatch> _prefetcher = new(builder.Build, firstIteration, depth);

    /// <summary>The batch for <paramref name="iteration"/>; batches arrive strictly in order.</summary>
    public TrainingBatch Take(long iteration, CancellationToken cancel = default) => _prefetcher.Take(iteration, cancel);

    public void Dispose() => _prefetcher.Dispose();
}
