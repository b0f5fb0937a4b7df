namespace Doppel.Tensors.Nn;

/// <summary>Weight initialisers.</summary>
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
