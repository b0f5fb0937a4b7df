using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doppel.Provenance.Manifest;

/// <summary>
/// A <see cref="ValidationReport"/> as JSON: what <c>doppel verify --json</c> prints and what
/// Studio's /api/check answers under "provenance", one shape for both.
/// </summary>
public static class ValidationReportJson
{
    public static JsonObject ToNode(string file, ValidationReport r) => new()
    {
        ["file"] = file,
        ["state"] = r.State.ToString(),
        ["activeManifest"] = r.ActiveManifest,
        ["claimGenerator"] = r.ClaimGenerator,
        ["signer"] = r.Signer,
        ["issuer"] = r.Issuer,
        ["alg"] = r.SignatureAlgorithm,
        ["trusted"] = false,
        ["actions"] = new JsonArray([.. r.Actions.Select(a => (JsonNode?)a)]),
        ["digitalSourceTypes"] = new JsonArray([.. r.DigitalSourceTypes.Select(t => (JsonNode?)new JsonObject
        {
            ["type"] = t, ["synthetic"] = SyntheticSourceTypes.Describe(t) is not null, ["meaning"] = SyntheticSourceTypes.Describe(t),
        })]),
        ["synthetic"] = r.DeclaresSynthetic,
        ["container"] = r.Container,
        ["title"] = r.Title,
        ["ingredients"] = new JsonArray([.. r.Ingredients.Select(i => (JsonNode?)new JsonObject
        {
            ["title"] = i.Title, ["format"] = i.Format, ["relationship"] = i.Relationship, ["sha256"] = i.Sha256, ["manifest"] = i.Manifest,
        })]),
        ["otherManifests"] = new JsonArray([.. r.OtherManifests.Select(m => (JsonNode?)m)]),
        ["success"] = Codes(r.Codes.Where(c => !c.Failure)),
        ["failure"] = Codes(r.Failures),
    };

    public static string ToJson(string file, ValidationReport r) => ToNode(file, r).ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static JsonArray Codes(IEnumerable<StatusCode> codes) =>
        new([.. codes.Select(c => (JsonNode?)new JsonObject { ["code"] = c.Code, ["url"] = c.Url, ["explanation"] = c.Explanation })]);
}
