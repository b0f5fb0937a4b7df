using System.Text.Json;
using Doppel.Studio.Security;

namespace Doppel.Studio.Jobs;

/// <summary>
/// One kind of background job (extract, train, convert): turns the options a page sends into a
/// doppel command line. Every value is checked here: paths through <see cref="Workspace.Resolve"/>,
/// names as plain names, numbers within range, choices against Doppel's own registries. A new
/// kind is one class and one line in <see cref="JobKinds.Create"/>.
/// </summary>
public interface IJobKind
{
    string Name { get; }

    JobPlan Plan(JobOptions options, Workspace workspace);
}

/// <summary>The options object of a POST /api/jobs, read with checks that name the bad field.</summary>
public sealed class JobOptions(JsonElement root)
{
    public static JobOptions Empty { get; } = new(JsonDocument.Parse("{}").RootElement);

    /// <summary>Options made by Studio itself (the check page queues detect), from an anonymous object.</summary>
    public static JobOptions From(object values) => new(JsonSerializer.SerializeToElement(values));

    private JsonElement? Get(string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public string? OptionalString(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        _ => throw Bad(name, "must be text"),
    };

    public string String(string name) =>
        OptionalString(name) is { Length: > 0 } s ? s : throw Bad(name, "is required");

    public int Int(string name, int fallback, int min, int max)
    {
        if (Get(name) is not { } v) return fallback;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int i)) throw Bad(name, "must be a whole number");
        return i >= min && i <= max ? i : throw Bad(name, $"must be between {min} and {max}");
    }

    public double Double(string name, double fallback, double min, double max)
    {
        if (Get(name) is not { } v) return fallback;
        if (v.ValueKind != JsonValueKind.Number) throw Bad(name, "must be a number");
        double d = v.GetDouble();
        return d >= min && d <= max ? d : throw Bad(name, $"must be between {min} and {max}");
    }

    public bool Flag(string name) => Get(name) switch
    {
        null => false,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw Bad(name, "must be true or false"),
    };

    public string Choice(string name, string fallback, IReadOnlyList<string> allowed)
    {
        string value = OptionalString(name) ?? fallback;
        return allowed.Contains(value) ? value : throw Bad(name, $"must be one of {string.Join(", ", allowed)}");
    }

    /// <summary>A plain name (one path segment: a face set, a run, an output).</summary>
    public string Name(string name)
    {
        string value = String(name);
        return Workspace.IsPlainName(value) && value.Length <= 100 ? value : throw Bad(name, "must be a plain name: letters, digits, '-', '_' or '.', not starting with '.'");
    }

    private static Doppel.Core.DoppelException Bad(string name, string why) =>
        new($"job option '{name}' {why}", "check the form and submit again");
}
