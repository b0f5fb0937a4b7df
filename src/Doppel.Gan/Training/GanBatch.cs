using Doppel.Tensors;

namespace Doppel.Gan.Training;

/// <summary>
/// One iteration of Algorithm 1: k minibatches of real examples and k of noise for the k
/// discriminator updates, fresh noise for the generator update, and (with instance noise) the
/// Gaussian noise added to each image D sees. Made on the loader thread from the run's seed and
/// the iteration only, so a resumed run sees the same numbers.
/// </summary>
public sealed class GanBatch(Tensor[] real, Tensor[] noiseD, Tensor noiseG, Tensor[]? realJitter, Tensor[]? fakeJitter, Tensor? generatorJitter) : IDisposable
{
    /// <summary>k real minibatches (m, H, W, C) in the networks' pixel range.</summary>
    public Tensor[] Real { get; } = real;

    /// <summary>k noise minibatches (m, z) for the discriminator updates.</summary>
    public Tensor[] NoiseD { get; } = noiseD;

    /// <summary>The noise minibatch (m, z) of the generator update.</summary>
    public Tensor NoiseG { get; } = noiseG;

    /// <summary>Instance noise added to the real and generated images of each D update, and to G's images in its update; null when off.</summary>
    public Tensor[]? RealJitter { get; } = realJitter;
    public Tensor[]? FakeJitter { get; } = fakeJitter;
    public Tensor? GeneratorJitter { get; } = generatorJitter;

    public int K => Real.Length;

    public void Dispose()
    {
        foreach (var t in Real.Concat(NoiseD).Append(NoiseG).Concat(RealJitter ?? []).Concat(FakeJitter ?? []))
            t.Dispose();
        GeneratorJitter?.Dispose();
    }
}
