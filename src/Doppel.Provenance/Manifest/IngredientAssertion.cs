using Doppel.Core;
using Doppel.Provenance.Assets;
using Doppel.Provenance.Cbor;

namespace Doppel.Provenance.Manifest;

/// <summary>
/// A <c>c2pa.ingredient.v3</c> assertion for a file without its own manifest: title (the file
/// name, never the full path, which would leak the signer's folders), format, relationship,
/// and as instanceID the file's SHA-256 as an RFC 6920 "named information" URI
/// (<c>ni:///sha-256;BASE64URL</c>), so anyone holding the file can check it is the one used.
/// Not the ingredient's <c>data</c> field: the official reader resolves that only as a data box
/// inside the manifest store and reports an external file as assertion.missing.
/// </summary>
public static class IngredientAssertion
{
    public static Assertion FromFile(IngredientFile ingredient)
    {
        string path = ingredient.Path;
        if (!File.Exists(path)) throw new DoppelException($"ingredient not found: {path}", "check the path of the source or model file");
        byte[] hash;
        string format;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            var head = new byte[16];
            int got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            format = MediaTypes.Of(path, head.AsSpan(0, got));
            hash = FileDigests.Sha256(path, stream); // streamed (model weights can be large), and remembered
        }
        catch (IOException e) { throw new DoppelException($"cannot read ingredient {path}: {e.Message}", "check the file's permissions"); }
        catch (UnauthorizedAccessException e) { throw new DoppelException($"cannot read ingredient {path}: {e.Message}", "check the file's permissions"); }
        string name = Path.GetFileName(path);
        return Assertion.Cbor(C2pa.IngredientV3, new CborMap()
            .Add("dc:title", name)
            .Add("dc:format", format)
            .Add("relationship", RelationshipName(ingredient.Relationship))
            .Add("instanceID", NamedInformation(hash)));
    }

    private const string NiPrefix = "ni:///sha-256;";

    /// <summary>RFC 6920: <c>ni:///sha-256;</c> and the digest in unpadded base64url.</summary>
    public static string NamedInformation(byte[] sha256) =>
        NiPrefix + Convert.ToBase64String(sha256).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The SHA-256 in an RFC 6920 URI as lower-case hex, or null when <paramref name="instanceId"/> is not one.</summary>
    public static string? Sha256Hex(string? instanceId)
    {
        if (instanceId is null || !instanceId.StartsWith(NiPrefix, StringComparison.Ordinal)) return null;
        string b64 = instanceId[NiPrefix.Length..].Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
        try { return Convert.FromBase64String(b64) is { Length: 32 } d ? Convert.ToHexStringLower(d) : null; }
        catch (FormatException) { return null; }
    }

    public static string RelationshipName(IngredientRelationship r) => r switch
    {
        IngredientRelationship.ParentOf => "parentOf",
        IngredientRelationship.ComponentOf => "componentOf",
        _ => "inputTo",
    };
}
