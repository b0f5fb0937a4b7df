using Doppel.Core;
using Doppel.Provenance.Assets;
using Doppel.Provenance.Cbor;

namespace Doppel.Provenance.Manifest;

/// <summary>
/// A <c>c2pa.ingredient.v3</c> assertion for a file without its own manifest: title (the file
/// name, never the full path, which would leak the signer's folders), format, relationship,
/// and <c>data</c>, a hashed external URI naming the file with its SHA-256, so anyone holding
/// the file can check it is the one used.
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
            .Add("data", new CborMap().Add("url", Uri.EscapeDataString(name)).Add("alg", "sha256").Add("hash", hash).Add("dc:format", format)));
    }

    public static string RelationshipName(IngredientRelationship r) => r switch
    {
        IngredientRelationship.ParentOf => "parentOf",
        IngredientRelationship.ComponentOf => "componentOf",
        _ => "inputTo",
    };
}
