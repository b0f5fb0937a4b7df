namespace Doppel.Cli.Options;

/// <summary>The outcome of <see cref="OptionSet.Parse"/>: option values (or their defaults) and positional arguments.</summary>
public sealed class ParsedOptions
{
    private readonly Dictionary<Option, object?> values;

    internal ParsedOptions(Dictionary<Option, object?> values, IReadOnlyList<string> positionals)
    {
        this.values = values;
        Positionals = positionals;
    }

    /// <summary>Arguments that are not options, in order (everything after a bare <c>--</c> counts as one).</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>The value given on the command line, else the option's default.</summary>
    public T Get<T>(Option<T> option) =>
        values.TryGetValue(option, out object? value) ? (T)value! : option.Default;

    /// <summary>Whether the option appeared on the command line (to tell "left at default" from "set to the default").</summary>
    public bool WasGiven(Option option) => values.ContainsKey(option);
}
