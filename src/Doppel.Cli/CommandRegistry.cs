using Doppel.Cli.Commands;

namespace Doppel.Cli;

/// <summary>
/// The explicit list of verbs: name -> factory. No reflection or assembly scanning, so the list
/// of commands is readable in one place and trimming or a typo cannot silently drop a verb.
/// Factories build a fresh command per run, so commands may keep per-run state in fields.
/// </summary>
public sealed class CommandRegistry
{
    private readonly Dictionary<string, Func<ICommand>> factories = new(StringComparer.Ordinal);
    private readonly List<string> order = new();

    /// <summary>Every command Doppel ships. Add a verb here: one line per command.</summary>
    public static CommandRegistry CreateDefault()
    {
        var registry = new CommandRegistry();
        registry.Add("help", () => new HelpCommand(registry));
        registry.Add("version", () => new VersionCommand());
        registry.Add("info", () => new InfoCommand());
        registry.Add("extract", () => new ExtractCommand());
        registry.Add("train", () => new TrainCommand());
        registry.Add("convert", () => new ConvertCommand());
        registry.Add("gan", () => new GanCommand());
        registry.Add("demo", () => new DemoCommand());
        registry.Add("bench", () => new BenchCommand());
        registry.Add("sign", () => new SignCommand());
        registry.Add("verify", () => new VerifyCommand());
        registry.Add("studio", () => new StudioCommand(registry));
        registry.Add("detect", () => new DetectCommand());
        return registry;
    }

    public CommandRegistry Add(string name, Func<ICommand> factory)
    {
        if (!factories.TryAdd(name, factory))
            throw new ArgumentException($"command '{name}' is registered twice", nameof(name));
        order.Add(name);
        return this;
    }

    /// <summary>Command names in registration order (the order help lists them in).</summary>
    public IReadOnlyList<string> Names => order;

    public bool Contains(string name) => factories.ContainsKey(name);

    public ICommand Create(string name) => factories[name]();

    /// <summary>The registered name closest to a mistyped one, or null when nothing is close.</summary>
    public string? Suggest(string typed)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string name in order)
        {
            int d = EditDistance(typed, name);
            if (d < bestDistance) (best, bestDistance) = (name, d);
        }
        // Two edits catch most typos ("ifno", "dmeo") without proposing unrelated verbs.
        return bestDistance <= Math.Min(2, Math.Max(1, typed.Length / 2)) ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
