using Doppel.Datasets.Augmentation;
using Doppel.Datasets.FaceSets;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Identity;

/// <summary>Whom a face shows, as the identity classifier decides it.</summary>
public enum IdentityCall { A, B, Neither }

/// <summary>
/// A trained <see cref="IdentityClassifier"/> in use: the probability that each face is B, and a
/// three-way call. A face counts as B only when p(B) is at least <see cref="BThreshold"/>, as A
/// when p(B) is at most 1 - that, and as neither in between: the classifier is trained to give a
/// blend its share of B (mixup), so a face that is half A and half B lands near 0.5 and is not
/// counted as B. Faces are given raw (RGB in [0, 1], 64 px, <see cref="Faces"/>) and normalised here.
/// </summary>
public sealed class IdentityJudge(IdentityClassifier classifier)
{
    public const float BThreshold = 0.8f;

    public static IdentityCall Call(float probabilityOfB) =>
        probabilityOfB >= BThreshold ? IdentityCall.B : 1 - probabilityOfB >= BThreshold ? IdentityCall.A : IdentityCall.Neither;

    /// <summary>p(B) of each raw face (N x 64 x 64 x 3 floats in [0, 1]), in batches, in eval mode.</summary>
    public float[] ProbabilityOfB(IReadOnlyList<float[]> faces, int batch = 64)
    {
        int size = IdentityInput.Size * IdentityInput.Size * 3;
        var result = new float[faces.Count];
        classifier.Eval();
        using var noGrad = GradMode.Off();
        for (int start = 0; start < faces.Count; start += batch)
        {
            using var scope = TensorScope.Begin();
            int n = Math.Min(batch, faces.Count - start);
            var input = Tensor.Empty(n, IdentityInput.Size, IdentityInput.Size, 3);
            for (int i = 0; i < n; i++)
            {
                var face = input.Span.Slice(i * size, size);
                faces[start + i].CopyTo(face);
                IdentityInput.Normalise(face);
            }
            var p = Ops.Sigmoid(classifier.Forward(input)).Span;  // (n, 1)
            for (int i = 0; i < n; i++) result[start + i] = p[i];
        }
        return result;
    }

    public IdentityTally Judge(IReadOnlyList<float[]> faces) => IdentityTally.Of(ProbabilityOfB(faces));

    /// <summary>Every face of a set as the classifier sees it at test time: the central square, no augmentation.</summary>
    public static List<float[]> Faces(TrainingFaces faces)
    {
        if (faces.InputSize != IdentityInput.Size) throw new ArgumentException($"the identity classifier takes {IdentityInput.Size} px faces", nameof(faces));
        var plain = new FaceAugmenter(faces, AugmentOptions.None);
        int size = IdentityInput.Size * IdentityInput.Size * 3;
        var scratch = new float[size];
        var rng = new Rng(0); // AugmentOptions.None draws nothing that changes the face
        var list = new List<float[]>(faces.Count);
        for (int i = 0; i < faces.Count; i++)
        {
            var face = new float[size];
            plain.Write(i, rng, scratch, face, Span<float>.Empty);
            list.Add(face);
        }
        return list;
    }
}

/// <summary>How a set of faces was called: counts of A, B and neither, and the mean p(B).</summary>
public sealed record IdentityTally(int Count, int A, int B, int Neither, double MeanProbabilityOfB)
{
    public double ShareA => Count == 0 ? 0 : (double)A / Count;
    public double ShareB => Count == 0 ? 0 : (double)B / Count;
    public double ShareNeither => Count == 0 ? 0 : (double)Neither / Count;

    public static IdentityTally Of(IReadOnlyList<float> probabilities)
    {
        int a = 0, b = 0, neither = 0;
        double sum = 0;
        foreach (float p in probabilities)
        {
            sum += p;
            switch (IdentityJudge.Call(p))
            {
                case IdentityCall.A: a++; break;
                case IdentityCall.B: b++; break;
                default: neither++; break;
            }
        }
        return new IdentityTally(probabilities.Count, a, b, neither, probabilities.Count == 0 ? double.NaN : sum / probabilities.Count);
    }

    public override string ToString() => FormattableString.Invariant(
        $"B {B}/{Count} ({100 * ShareB:F1}%), A {A} ({100 * ShareA:F1}%), neither {Neither} ({100 * ShareNeither:F1}%), mean p(B) {MeanProbabilityOfB:F3}");
}
