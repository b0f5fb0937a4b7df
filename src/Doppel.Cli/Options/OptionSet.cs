using System.Globalization;
using System.Text;
using Doppel.Core;

namespace Doppel.Cli.Options;

/// <summary>
/// The options one command accepts, declared up front so the same list drives parsing, help text
/// and the tests that check help mentions every option. Accepts <c>--name value</c> and
/// <c>--name=value</c>; flags take no value (or <c>--flag=true|false</c>). Anything it does not
/// understand becomes a <see cref="DoppelException"/> that names the bad argument, because a
/// silently ignored typo in a long training run costs hours.
/// </summary>
public sealed class OptionSet
{
    private readonly List<Option> options = new();
    private readonly Dictionary<string, Option> shortAliases = new(StringComparer.Ordinal);
    private readonly string command;

    /// <param name="command">The verb, used in the "see doppel VERB --help" hint.</param>
    /// <param name="maxPositionals">How many non-option arguments the command accepts.</param>
    public OptionSet(string command, int maxPositionals = 0)
    {
        this.command = command;
        MaxPositionals = maxPositionals;
    }

    public int MaxPositionals { get; }

    public IReadOnlyList<Option> All => options;

    private string Hint => $"see 'doppel {command} --help' for the options";

    public Option<int> Int(string name, int defaultValue, string help, int min = int.MinValue, int max = int.MaxValue) =>
        Add(name, help, "int", defaultValue, text =>
        {
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
                throw new FormatException("expects a whole number");
            if (v < min || v > max) throw new FormatException(RangeText(min, max, int.MinValue, int.MaxValue));
            return v;
        });

    public Option<double> Double(string name, double defaultValue, string help, double min = double.NegativeInfinity, double max = double.PositiveInfinity) =>
        Add(name, help, "number", defaultValue, text =>
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw new FormatException("expects a number such as 0.5 or 1e-4");
            if (v < min || v > max) throw new FormatException(RangeText(min, max, double.NegativeInfinity, double.PositiveInfinity));
            return v;
        });

    /// <summary>
    /// A float setting as the double an option holds, through its shortest text: 5e-4f becomes
    /// 0.0005, not 0.0005000000237487257, so --help shows the default as it was written.
    /// </summary>
    public static double FromSingle(float value) => double.Parse(value.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public Option<string> String(string name, string defaultValue, string help, string valueName = "text") =>
        Add(name, help, valueName, defaultValue, text => text);

    /// <summary>A text option with no default; reads back as null when absent.</summary>
    public Option<string?> OptionalString(string name, string help, string valueName = "text") =>
        Add<string?>(name, help, valueName, null, text => text);

    /// <summary>One of a fixed set of words (model names, detectors...), compared case-sensitively.</summary>
    public Option<string> Choice(string name, string defaultValue, IReadOnlyList<string> choices, string help) =>
        Add(name, $"{help} ({string.Join(", ", choices)})", string.Join("|", choices), defaultValue, text =>
            choices.Contains(text, StringComparer.Ordinal) ? text : throw new FormatException($"expects one of {string.Join(", ", choices)}"));

    /// <summary>A text option that may be given several times; reads back as every value in order (empty when absent).</summary>
    public Option<IReadOnlyList<string>> Repeated(string name, string help, string valueName = "text")
    {
        Option<IReadOnlyList<string>> option = Add<IReadOnlyList<string>>(name, help + " (repeatable)", valueName, [], text => [text]);
        option.IsRepeated = true;
        return option;
    }

    /// <summary>A switch: false unless given.</summary>
    public Option<bool> Flag(string name, string help) =>
        Add(name, help, null, false, text => text switch
        {
            "true" => true,
            "false" => false,
            _ => throw new FormatException("is a switch; write it alone, or as =true / =false"),
        });

    /// <summary>Parses the arguments that follow the command name.</summary>
    /// <exception cref="DoppelException">On an unknown option, a missing or malformed value, or too many arguments.</exception>
    public ParsedOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<Option, object?>();
        var positionals = new List<string>();
        bool optionsEnded = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (optionsEnded || !LooksLikeOption(arg))
            {
                positionals.Add(arg);
                continue;
            }
            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            int eq = arg.IndexOf('=');
            string spelling = eq >= 0 ? arg[..eq] : arg;
            Option option = Find(spelling)
                ?? throw new DoppelException($"unknown option '{spelling}' for 'doppel {command}'", Hint);

            string? text;
            if (eq >= 0) text = arg[(eq + 1)..];
            else if (option.IsFlag) text = "true";
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) text = args[++i];
            else throw new DoppelException($"option '{spelling}' needs a value ({spelling} <{option.ValueName}>)", Hint);

            try
            {
                object? value = option.ParseBoxed(text);
                // A repeated option gathers its values instead of keeping the last one.
                if (option.IsRepeated && values.TryGetValue(option, out object? earlier))
                    value = ((IReadOnlyList<string>)earlier!).Concat((IReadOnlyList<string>)value!).ToList();
                values[option] = value;
            }
            catch (FormatException e)
            {
                throw new DoppelException($"bad value '{text}' for option '{spelling}': it {e.Message}", Hint);
            }
        }

        if (positionals.Count > MaxPositionals)
        {
            string extra = positionals[MaxPositionals];
            throw new DoppelException(
                MaxPositionals == 0 ? $"'doppel {command}' takes no arguments, but got '{extra}'" : $"unexpected argument '{extra}' for 'doppel {command}'",
                Hint);
        }
        return new ParsedOptions(values, positionals);
    }

    /// <summary>The "options:" section of a help text: one aligned line per option with its default.</summary>
    public string Describe()
    {
        if (options.Count == 0) return "options: none";
        var lines = options.Select(o => (left: AliasPrefix(o) + (o.IsFlag ? o.Spelling : $"{o.Spelling} <{o.ValueName}>"), o)).ToList();
        int width = lines.Max(l => l.left.Length) + 2;
        var sb = new StringBuilder("options:");
        foreach (var (left, o) in lines)
        {
            sb.Append('\n').Append("  ").Append(left.PadRight(width)).Append(o.Help);
            if (o.DefaultText is { } d) sb.Append(" (default: ").Append(d).Append(')');
        }
        return sb.ToString();
    }

    private string AliasPrefix(Option o) =>
        string.Concat(shortAliases.Where(a => a.Value == o).Select(a => a.Key + ", "));

    private Option<T> Add<T>(string name, string help, string? valueName, T defaultValue, Func<string, T> parse)
    {
        if (name.StartsWith('-') || name.Length == 0 || name.Contains('='))
            throw new ArgumentException($"option names are written without dashes and '=': '{name}'", nameof(name));
        if (name is "help" || options.Any(o => o.Name == name))
            throw new ArgumentException($"option --{name} is declared twice (or clashes with --help)", nameof(name));
        var option = new Option<T>(name, help, valueName, defaultValue, parse);
        options.Add(option);
        return option;
    }

    /// <summary>Lets <c>-x value</c> (and <c>-x=value</c>) stand for an option, as <c>-o</c> for <c>--out</c>.</summary>
    public void ShortAlias(char letter, Option target)
    {
        if (!options.Contains(target)) throw new ArgumentException($"--{target.Name} is not an option of this command", nameof(target));
        if (!shortAliases.TryAdd("-" + letter, target)) throw new ArgumentException($"-{letter} is declared twice", nameof(letter));
    }

    private Option? Find(string spelling) =>
        shortAliases.TryGetValue(spelling, out var aliased) ? aliased : options.FirstOrDefault(o => o.Spelling == spelling);

    // A lone "-" (stdin by convention) and negative numbers are values, not options.
    private static bool LooksLikeOption(string arg) =>
        arg.Length > 1 && arg[0] == '-' && !double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string RangeText<T>(T min, T max, T lowest, T highest) where T : IEquatable<T>
    {
        string minText = Convert.ToString(min, CultureInfo.InvariantCulture)!;
        string maxText = Convert.ToString(max, CultureInfo.InvariantCulture)!;
        if (min.Equals(lowest)) return $"must be at most {maxText}";
        if (max.Equals(highest)) return $"must be at least {minText}";
        return $"must be between {minText} and {maxText}";
    }
}
