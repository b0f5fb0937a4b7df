using System.Text.Json;
using System.Text.Json.Serialization;

namespace Doppel.Swap.Models;

/// <summary>
/// Reads and writes an <see cref="ISwapModelSpec"/> as its concrete record (every public property,
/// "Family" among them). On reading, the family picks the record type; a spec without "Family" was
/// written before families existed and is an <see cref="OriginalSpec"/>, so old state.json files
/// read exactly as before.
/// </summary>
public sealed class SwapModelSpecJson : JsonConverter<ISwapModelSpec>
{
    public override ISwapModelSpec? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("the model spec is not a JSON object");
        string family = root.TryGetProperty("Family", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : OriginalSpec.FamilyName;
        var type = ModelRegistry.SpecTypeOf(family)
            ?? throw new JsonException($"unknown model family '{family}' (this version of Doppel has no model of it)");
        return (ISwapModelSpec?)root.Deserialize(type, options);
    }

    public override void Write(Utf8JsonWriter writer, ISwapModelSpec value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, value.GetType(), options);
}
