using System.Collections.Concurrent;
using Doppel.Core;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Models;

/// <summary>
/// Swap models by name, as the CLI and checkpoints spell them: name -> spec, the spec being the
/// factory (<see cref="ISwapModelSpec.Create"/>); one line per model, no scanning. A new model is
/// its class, its spec and one line here. A checkpoint stores the name and the spec, so a renamed
/// or resized model is caught on resume.
/// </summary>
public sealed class ModelRegistry
{
    // Every spec type any registry has seen, by family: what state.json's "Family" reads back as.
    private static readonly ConcurrentDictionary<string, Type> SpecTypes = new(StringComparer.Ordinal)
    {
        [OriginalSpec.FamilyName] = typeof(OriginalSpec),
    };

    private readonly Dictionary<string, ISwapModelSpec> _specs = new(StringComparer.Ordinal);

    /// <summary>The models Doppel ships.</summary>
    public static ModelRegistry Default { get; } = new ModelRegistry()
        .Add("original", OriginalSpec.Original)   // the classic 64 px model, exactly as in models.md
        .Add("lite", OriginalSpec.Lite)           // a quarter of the widths, for weak machines
        .Add("h128", OriginalSpec.H128)           // 128 px, DFL-H128 class
        .Add("lite-res", OriginalSpec.LiteResidual); // lite with a residual block after each decoder upscale

    public ModelRegistry Add(string name, ISwapModelSpec spec)
    {
        var type = SpecTypes.GetOrAdd(spec.Family, spec.GetType());
        if (type != spec.GetType())
            throw new ArgumentException($"model family '{spec.Family}' is already {type.Name}, not {spec.GetType().Name}", nameof(spec));
        if (!_specs.TryAdd(name, spec)) throw new ArgumentException($"model '{name}' is registered twice", nameof(name));
        return this;
    }

    public IReadOnlyList<string> Names => _specs.Keys.ToList();

    public ISwapModelSpec Resolve(string name) =>
        _specs.TryGetValue(name, out var spec) ? spec
            : throw new DoppelException($"unknown model '{name}'", $"available: {string.Join(", ", _specs.Keys)}");

    /// <summary>A new model of the named kind: <see cref="Resolve"/>, then <see cref="ISwapModelSpec.Create"/>.</summary>
    public ISwapModel Create(string name, Rng rng, bool learnMask = false) => Resolve(name).Create(rng, learnMask);

    /// <summary>The spec type of a family, as registered; null when no registry has a model of it.</summary>
    internal static Type? SpecTypeOf(string family) => SpecTypes.TryGetValue(family, out var type) ? type : null;
}
