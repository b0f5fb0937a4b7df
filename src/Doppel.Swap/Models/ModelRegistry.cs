using Doppel.Core;

namespace Doppel.Swap.Models;

/// <summary>
/// Swap models by name, as the CLI and checkpoints spell them: one line per model, no scanning.
/// A checkpoint stores the name and the spec, so a renamed or resized model is caught on resume.
/// </summary>
public sealed class ModelRegistry
{
    private readonly Dictionary<string, OriginalSpec> _specs = new(StringComparer.Ordinal);

    /// <summary>The models Doppel ships.</summary>
    public static ModelRegistry Default { get; } = new ModelRegistry()
        .Add("original", OriginalSpec.Original)   // the classic 64 px model, exactly as in models.md
        .Add("lite", OriginalSpec.Lite)           // a quarter of the widths, for weak machines
        .Add("h128", OriginalSpec.H128);          // 128 px, DFL-H128 class

    public ModelRegistry Add(string name, OriginalSpec spec)
    {
        if (!_specs.TryAdd(name, spec)) throw new ArgumentException($"model '{name}' is registered twice", nameof(name));
        return this;
    }

    public IReadOnlyList<string> Names => _specs.Keys.ToList();

    public OriginalSpec Resolve(string name) =>
        _specs.TryGetValue(name, out var spec) ? spec
            : throw new DoppelException($"unknown model '{name}'", $"available: {string.Join(", ", _specs.Keys)}");
}
