using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doppel.Training;

/// <summary>
/// The JSON conventions of state.json (camelCase names, indented) and the conversions a task
/// needs for its sections: its settings or data record to a <see cref="JsonObject"/> and back.
/// </summary>
public static class CheckpointJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
    };

    /// <summary>A record (or any serialisable value) as a JSON object, for <see cref="ITrainingTask.Settings"/> and the like.</summary>
    public static JsonObject ToObject<T>(T value) =>
        JsonSerializer.SerializeToNode(value, Options) as JsonObject
        ?? throw new ArgumentException($"{typeof(T).Name} does not serialise to a JSON object");

    /// <summary>A section of a saved checkpoint read back as <typeparamref name="T"/>.</summary>
    public static T Read<T>(JsonObject section) =>
        section.Deserialize<T>(Options) ?? throw new JsonException($"the section is empty, not a {typeof(T).Name}");
}
