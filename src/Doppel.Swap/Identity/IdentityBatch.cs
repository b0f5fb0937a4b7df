using Doppel.Datasets.Augmentation;
using Doppel.Datasets.FaceSets;
using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Identity;

/// <summary>
/// One step's examples for the identity classifier: normalised faces (N, 64, 64, 3), targets
/// (N, 1) = the share of B (0 for A, 1 for B, in between for a blend), and which examples are
/// plain (not blends), for the accuracy. Made off any scope on the loader thread; the consumer disposes it.
/// </summary>
public sealed class IdentityBatch(Tensor faces, Tensor targets, bool[] plain) : IDisposable
{
    public Tensor Faces { get; } = faces;
    public Tensor Targets { get; } = targets;
    public IReadOnlyList<bool> Plain { get; } = plain;

    /// <summary>
    /// The batch of <paramref name="iteration"/>: a generator seeded by (seed, iteration) picks,
    /// for each example, A or B (even odds) and a face, or with <see cref="IdentityTrainSettings.MixFraction"/>
    /// one face of each and a blend weight; each face is augmented on its own, blended, maybe
    /// blurred, then normalised as at test time (<see cref="IdentityInput.Normalise"/>).
    /// </summary>
    public static IdentityBatch Make(TrainingFaces a, TrainingFaces b, IdentityTrainSettings settings, long iteration)
    {
        var rng = new Rng(settings.Seed ^ ((ulong)iteration * 0x9E3779B97F4A7C15UL) ^ 0x5BD1E9955BD1E995UL);
        var augmentA = new FaceAugmenter(a, settings.Augment);
        var augmentB = new FaceAugmenter(b, settings.Augment);
        int n = settings.BatchSize, s = IdentityInput.Size, size = s * s * 3;
        var faces = Tensor.Empty(n, s, s, 3);
        var targets = Tensor.Empty(n, 1);
        var plain = new bool[n];
        var faceA = new float[size];
        var faceB = new float[size];
        var scratch = new float[size];
        for (int i = 0; i < n; i++)
        {
            var face = faces.Span.Slice(i * size, size);
            float share;
            if (rng.NextDouble() < settings.MixFraction)
            {
                share = (float)rng.NextDouble();
                augmentA.Write(rng.Next(a.Count), rng, scratch, faceA, Span<float>.Empty);
                augmentB.Write(rng.Next(b.Count), rng, scratch, faceB, Span<float>.Empty);
                for (int k = 0; k < size; k++) face[k] = (1 - share) * faceA[k] + share * faceB[k];
            }
            else
            {
                bool isB = rng.NextDouble() < 0.5;
                share = isB ? 1f : 0f;
                plain[i] = true;
                if (isB) augmentB.Write(rng.Next(b.Count), rng, scratch, face, Span<float>.Empty);
                else augmentA.Write(rng.Next(a.Count), rng, scratch, face, Span<float>.Empty);
            }
            if (rng.NextDouble() < settings.BlurProbability)
                GaussianBlur.Apply(face, s, 3, 0.3 + rng.NextDouble() * (settings.MaxBlurSigma - 0.3));
            IdentityInput.Normalise(face);
            targets.Span[i] = share;
        }
        return new IdentityBatch(faces, targets, plain);
    }

    public void Dispose()
    {
        Faces.Dispose();
        Targets.Dispose();
    }
}
