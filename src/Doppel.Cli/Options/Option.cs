namespace Doppel.Cli.Options;

/// <summary>
/// A declared command-line option: its name (without dashes), help line, default value and how
/// to turn the text after <c>--name</c> into a value. Created through <see cref="OptionSet"/>,
/// read back with <see cref="ParsedOptions.Get{T}"/>.
/// </summary>
public abstract class Option
{
    private protected Option(string name, string help, string? valueName)
    {
        Name = name;
        Help = help;
        ValueName = valueName;
    }

    public string Name { get; }

    /// <summary>How the option is written on the command line, e.g. "--steps".</summary>
    public string Spelling => "--" + Name;

    public string Help { get; }

    /// <summary>The placeholder shown in help ("int", "path"...), or null for a flag that takes no value.</summary>
    public string? ValueName { get; }

    public bool IsFlag => ValueName is null;

    /// <summary>Whether each occurrence adds a value (see <see cref="OptionSet.Repeated"/>) rather than replacing it.</summary>
    public bool IsRepeated { get; internal set; }

    /// <summary>The default rendered for help text, or null when there is nothing worth showing.</summary>
    public abstract string? DefaultText { get; }

    internal abstract object? DefaultBoxed { get; }

    /// <summary>Converts the option's text; throws <see cref="FormatException"/> with a short reason.</summary>
    internal abstract object? ParseBoxed(string text);
}

/// <summary>An option whose value has type <typeparamref name="T"/>.</summary>
public sealed class Option<T> : Option
{
    private readonly Func<string, T> parse;

    internal Option(string name, string help, string? valueName, T defaultValue, Func<string, T> parse)
        : base(name, help, valueName)
    {
        Default = defaultValue;
        this.parse = parse;
    }

    public T Default { get; }

    public override string? DefaultText => IsFlag || IsRepeated || Default is null ? null : Convert.ToString(Default, System.Globalization.CultureInfo.InvariantCulture);

    internal override object? DefaultBoxed => Default;

    internal override object? ParseBoxed(string text) => parse(text);
}
