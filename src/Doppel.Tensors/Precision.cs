namespace Doppel.Tensors;

/// <summary>The number format of matrix products (convolutions, linear layers, matmul).</summary>
public enum Precision
{
    /// <summary>float32 operands and accumulation: the reference.</summary>
    Fp32,

    /// <summary>
    /// Mixed precision: both operands of each product rounded to bfloat16 (to nearest even), the
    /// products summed in float32, results in float32. Weights, gradients, optimiser state and
    /// every other op stay float32 (the master copy); only the GEMMs' inputs are rounded.
    /// </summary>
    Bf16,
}

/// <summary>
/// The precision matrix products run in on this thread: <see cref="Precision.Fp32"/> unless a
/// caller opens <c>using (MatMulPrecision.Use(Precision.Bf16))</c> around its forward and backward
/// (a training step does). An op reads it when it runs forward and keeps it for its backward, so a
/// graph is differentiated in the precision it was built in.
/// </summary>
public static class MatMulPrecision
{
    [ThreadStatic] private static Precision _current;

    public static Precision Current => _current;

    /// <summary>Sets the precision until the returned scope is disposed, then restores the previous one.</summary>
    public static Scope Use(Precision precision)
    {
        var previous = _current;
        _current = precision;
        return new Scope(previous);
    }

    public readonly struct Scope(Precision previous) : IDisposable
    {
        public void Dispose() => _current = previous;
    }

    /// <summary>"fp32" or "bf16", as the command line spells them.</summary>
    public static string Name(Precision precision) => precision == Precision.Bf16 ? "bf16" : "fp32";

    /// <summary>Parses "fp32" or "bf16" (any case); null for anything else.</summary>
    public static Precision? Parse(string text) => text.ToLowerInvariant() switch
    {
        "fp32" => Precision.Fp32,
        "bf16" => Precision.Bf16,
        _ => null,
    };
}
