namespace Doppel.Tensors.Nn;

/// <summary>
/// How a layer's weight is drawn. Layers take one in their constructor (He uniform by default,
/// as faceswap's models), so a DCGAN asks for <see cref="Normal"/>(0.02) and a classifier for
/// <see cref="GlorotUniform"/> without new layer classes. Fan-in and fan-out are the layer's:
/// for a convolution KH*KW*C_in and KH*KW*C_out, for a linear layer In and Out.
/// </summary>
public abstract class WeightInit
{
    public abstract void Fill(Tensor weight, int fanIn, int fanOut, Rng rng);

    /// <summary>He (Kaiming) uniform: U(-sqrt(6 / fanIn), +sqrt(6 / fanIn)).</summary>
    public static WeightInit HeUniform { get; } = new HeUniformInit();

    /// <summary>Glorot (Xavier) uniform: U(-sqrt(6 / (fanIn + fanOut)), +...), Keras' default.</summary>
    public static WeightInit GlorotUniform { get; } = new GlorotUniformInit();

    /// <summary>N(mean, std^2): Radford et al.'s DCGAN draws every weight from N(0, 0.02^2).</summary>
    public static WeightInit Normal(float std, float mean = 0f) => new NormalInit(mean, std);

    /// <summary>U(-limit, +limit) whatever the fans: pylearn2's <c>irange</c> (Goodfellow et al.'s MNIST nets use 0.005 and 0.05).</summary>
    public static WeightInit Uniform(float limit) => new UniformInit(limit);

    private sealed class HeUniformInit : WeightInit
    {
        public override void Fill(Tensor weight, int fanIn, int fanOut, Rng rng) => Init.HeUniform(weight, fanIn, rng);
        public override string ToString() => "he_uniform";
    }

    private sealed class GlorotUniformInit : WeightInit
    {
        public override void Fill(Tensor weight, int fanIn, int fanOut, Rng rng)
        {
            float limit = MathF.Sqrt(6f / (fanIn + fanOut));
            rng.FillUniform(weight.Span, -limit, limit);
        }
        public override string ToString() => "glorot_uniform";
    }

    private sealed class UniformInit(float limit) : WeightInit
    {
        public override void Fill(Tensor weight, int fanIn, int fanOut, Rng rng) => rng.FillUniform(weight.Span, -limit, limit);
        public override string ToString() => FormattableString.Invariant($"uniform({-limit}, {limit})");
    }

    private sealed class NormalInit(float mean, float std) : WeightInit
    {
        public override void Fill(Tensor weight, int fanIn, int fanOut, Rng rng) => rng.FillNormal(weight.Span, mean, std);
        public override string ToString() => FormattableString.Invariant($"normal({mean}, {std})");
    }
}

/// <summary>Weight initialisers as plain functions.</summary>
public static class Init
{
    /// <summary>
    /// He (Kaiming) uniform: U(-sqrt(6 / fanIn), +sqrt(6 / fanIn)), the Keras he_uniform that
    /// faceswap's Original model uses; keeps activation variance steady through ReLU-family layers.
    /// </summary>
    public static void HeUniform(Tensor weight, int fanIn, Rng rng)
    {
        float limit = MathF.Sqrt(6f / fanIn);
        rng.FillUniform(weight.Span, -limit, limit);
    }
}
