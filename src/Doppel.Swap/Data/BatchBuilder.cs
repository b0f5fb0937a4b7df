using Doppel.Datasets.Augmentation;
using Doppel.Swap.Models;
using Doppel.Tensors;
using Doppel.Tensors.Nn;
using Doppel.Datasets.FaceSets;

namespace Doppel.Swap.Data;

/// <summary>
/// Builds the batch of a given iteration. Each (iteration, side) gets its own generator seeded
/// from the run's seed, so a batch depends on nothing but the seed and its number: batches can be
/// made ahead on another thread in any order, and a resumed run sees exactly the batches the
/// uninterrupted run would have seen, with no generator state to save beyond the seed.
/// </summary>
public sealed class BatchBuilder(TrainingFaces facesA, TrainingFaces facesB, AugmentOptions options, int batchSize, ulong seed)
{
    private readonly FaceAugmenter _a = new(facesA, options), _b = new(facesB, options);

    public int BatchSize => batchSize;
    public bool Weighted => facesA.HasMasks && facesB.HasMasks;

    public TrainingBatch Build(long iteration) => new(iteration, BuildSide(iteration, Side.A), BuildSide(iteration, Side.B));

    /// <summary><see cref="SeedFor"/> in words, as checkpoints record it.</summary>
    public const string SeedScheme = "per batch: Rng(seed ^ iteration * 0xD1B54A32D192ED03 ^ (side B ? 0xA24BAED4963EE407 : 0))";

    public static ulong SeedFor(ulong seed, long iteration, Side side) =>
        seed ^ ((ulong)iteration * 0xD1B54A32D192ED03UL) ^ (side == Side.B ? 0xA24BAED4963EE407UL : 0UL);

    private SideBatch BuildSide(long iteration, Side side)
    {
        var (faces, augmenter) = side == Side.A ? (facesA, _a) : (facesB, _b);
        var rng = new Rng(SeedFor(seed, iteration, side));
        int s = faces.InputSize, face = s * s * 3;
        var input = Tensor.Empty(batchSize, s, s, 3);
        var target = Tensor.Empty(batchSize, s, s, 3);
        // Both sides weighted or neither: one loss formula for the whole run.
        var mask = Weighted ? Tensor.Empty(batchSize, s, s, 1) : null;
        for (int i = 0; i < batchSize; i++)
            augmenter.Write(rng.Next(faces.Count), rng,
                input.Span.Slice(i * face, face), target.Span.Slice(i * face, face),
                mask is null ? Span<float>.Empty : mask.Span.Slice(i * s * s, s * s));
        return new SideBatch(input, target, mask);
    }
}
