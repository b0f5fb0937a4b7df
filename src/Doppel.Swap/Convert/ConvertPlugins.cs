using Doppel.Core;
using Doppel.Swap.Convert.Blend;
using Doppel.Swap.Convert.Color;
using Doppel.Swap.Convert.Smoothing;

namespace Doppel.Swap.Convert;

/// <summary>
/// The converter's plugin families by name, as the CLI spells them: one line per plugin, no
/// scanning (as faceswap's plugins/convert/{color,mask,writer}). A new blender or colour matcher
/// is one class and one line here.
/// </summary>
public static class ConvertPlugins
{
    public static PluginFamily<IColorMatcher> Color { get; } = new PluginFamily<IColorMatcher>("colour matcher", "--color")
        .Add("none", () => new NoColorMatch())
        .Add("mean", () => new MeanColorMatch())
        .Add("gain", () => new GainColorMatch())
        .Add("reinhard", () => new ReinhardColorMatch())
        .Add("hist", () => new HistogramColorMatch());

    public static PluginFamily<IBlender> Blend { get; } = new PluginFamily<IBlender>("blend mode", "--blend")
        .Add("feather", () => new FeatherBlender())
        .Add("poisson", () => new PoissonBlender());

    public static PluginFamily<IMatrixSmoother> Smoothing { get; } = new PluginFamily<IMatrixSmoother>("smoothing", "--smooth")
        .Add("none", () => new NoSmoothing())
        .Add("ema", () => new EmaSmoothing())
        .Add("oneeuro", () => new OneEuroSmoothing());
}

/// <summary>One family: name -> factory, in registration order (the first is listed first in help).</summary>
public sealed class PluginFamily<T>(string what, string option)
{
    private readonly Dictionary<string, Func<T>> _factories = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _names = [];

    public IReadOnlyList<string> Names => _names;

    public PluginFamily<T> Add(string name, Func<T> factory)
    {
        if (!_factories.TryAdd(name, factory)) throw new ArgumentException($"{what} '{name}' is registered twice", nameof(name));
        _names.Add(name);
        return this;
    }

    public T Create(string name) =>
        _factories.TryGetValue(name, out var factory) ? factory()
            : throw new DoppelException($"unknown {what} '{name}' for {option}", $"available: {string.Join(", ", _names)}");
}
