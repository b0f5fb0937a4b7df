using Doppel.Datasets.Augmentation;
using Doppel.Datasets.FaceSets;
using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Training;

/// <summary>
/// The same faces of a set every time, unaugmented and spread evenly through it: what the
/// preview shows and what <c>bench gan-power</c> measures.
/// </summary>
public static class FixedFaces
{
    /// <summary>
    /// <paramref name="count"/> faces (count, S, S, 3) in [0, 1] and, when the set has landmarks,
    /// their loss-weight masks (count, S, S, 1) (face 1, eyes 3, mouth 2, background 0); both
    /// persisted, the caller disposes them.
    /// </summary>
    public static (Tensor Faces, Tensor? Masks) Take(TrainingFaces faces, int count)
    {
        var plain = new FaceAugmenter(faces, AugmentOptions.None);
        int s = faces.InputSize, n = s * s * 3;
        var t = Tensor.Empty(count, s, s, 3).Persist();
        var masks = faces.HasMasks ? Tensor.Empty(count, s, s, 1).Persist() : null;
        var scratch = new float[n];
        var rng = new Rng(0); // unused by AugmentOptions.None, which draws nothing that changes the face
        for (int i = 0; i < count; i++)
            plain.Write((int)((long)i * faces.Count / count), rng, scratch, t.Span.Slice(i * n, n), masks is null ? Span<float>.Empty : masks.Span.Slice(i * s * s, s * s));
        return (t, masks);
    }
}
