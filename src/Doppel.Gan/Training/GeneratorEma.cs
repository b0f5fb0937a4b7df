using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Training;

/// <summary>
/// <c>gan train --ema DECAY</c>: an exponential moving average of the generator's parameters and
/// buffers (batch norm's running statistics), updated after every generator step; the online form
/// of <c>gan average</c> (Yazici et al. 2019), with every step in the average instead of a few
/// copies.
/// <para>
/// Update n (1-based) blends the current generator in with weight 1 - d_n, where
/// d_n = min(DECAY, 1 - 1/n): until 1/(1 - DECAY) updates the average is the plain running mean
/// of all generators so far, after that an exponential average over about the last 1/(1 - DECAY)
/// steps. The warm-up makes the first update a copy (nothing of the random initialisation is
/// blended in, as a zero-started average needs debiasing for), and lets a DECAY close to 1 mean
/// "the mean of the whole run" rather than "the initial weights for a long time". Before
/// iteration <see cref="Start"/> the average is a copy of the generator, so averaging can skip a
/// bad start. The number of updates is saved in the checkpoint with the averaged weights, so a
/// resumed run continues exactly.
/// </para>
/// </summary>
public sealed class GeneratorEma
{
    public const string ModuleName = "generator_ema", UpdatesKey = "emaUpdates";

    private readonly IReadOnlyList<(string Name, Tensor Tensor)> _source, _average;

    public GeneratorEma(Module<Tensor, Tensor> generator, Module<Tensor, Tensor> average, double decay, long start)
    {
        if (!(decay > 0 && decay < 1)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "the decay must be in (0, 1)");
        _source = generator.StateDict();
        _average = average.StateDict();
        if (_source.Count != _average.Count || _source.Zip(_average).Any(p => p.First.Name != p.Second.Name || p.First.Tensor.Span.Length != p.Second.Tensor.Span.Length))
            throw new ArgumentException("the average must be a module of the generator's shape", nameof(average));
        Module = average;
        Decay = decay;
        Start = start;
        CopyFromGenerator();
    }

    /// <summary>The averaged generator (never trained; sampled in inference mode).</summary>
    public Module<Tensor, Tensor> Module { get; }

    public double Decay { get; }

    /// <summary>The first iteration (0-based) whose generator step enters the average.</summary>
    public long Start { get; }

    /// <summary>Updates made so far (0 before <see cref="Start"/>).</summary>
    public long Updates { get; set; }

    /// <summary>The weight of the old average at update <paramref name="n"/> (1-based): min(decay, 1 - 1/n).</summary>
    public static double DecayAt(double decay, long n) => n <= 1 ? 0 : Math.Min(decay, 1.0 - 1.0 / n);

    /// <summary>After the generator step of <paramref name="iteration"/>: blend the generator into the average (or copy it, before the start).</summary>
    public void Update(long iteration)
    {
        if (iteration < Start)
        {
            CopyFromGenerator();
            return;
        }
        Updates++;
        float weight = (float)(1.0 - DecayAt(Decay, Updates));
        for (int i = 0; i < _source.Count; i++)
        {
            var average = _average[i].Tensor.Span;
            // average += weight * (generator - average)
            TensorPrimitives.Lerp(average, _source[i].Tensor.Span, weight, average);
        }
    }

    private void CopyFromGenerator()
    {
        for (int i = 0; i < _source.Count; i++) _source[i].Tensor.Span.CopyTo(_average[i].Tensor.Span);
    }
}
