using Doppel.Provenance.Jumbf;

namespace Doppel.Provenance.Manifest;

/// <summary>
/// Checks one kind of hard-binding assertion (c2pa.hash.data, c2pa.hash.bmff, ...) against the
/// asset's bytes and records the outcome as status codes. Adding a kind is one class
/// implementing this plus one line in <see cref="HardBindingChecks"/>.
/// </summary>
public interface IHardBindingCheck
{
    /// <summary>Whether it checks assertions with this label (the __n instance suffix already removed), e.g. "c2pa.hash.data".</summary>
    bool Handles(string label);

    /// <summary>
    /// Checks the assertion in <paramref name="box"/> (labelled <paramref name="label"/>, suffix
    /// removed) against <paramref name="asset"/>; <paramref name="url"/> is its JUMBF URI for the codes.
    /// </summary>
    void Check(byte[] asset, JumbfBox box, string label, string claimAlg, string url, ValidationReport report);
}

/// <summary>The hard bindings Doppel can check.</summary>
public static class HardBindingChecks
{
    public static readonly IReadOnlyList<IHardBindingCheck> All =
    [
        new DataHashCheck(),
        new BmffHashCheck(),
    ];

    public static IHardBindingCheck? For(string label) => All.FirstOrDefault(c => c.Handles(label));
}
