using Doppel.Core;
using Doppel.Provenance.Assets;
using Doppel.Provenance.Cbor;
using Doppel.Provenance.Cose;
using Doppel.Provenance.Manifest;

namespace Doppel.Provenance;

/// <summary>
/// The one entry point for labelling Doppel's output with C2PA content credentials. The
/// container is chosen from the file's bytes (PNG caBX, JPEG APP11; anything else gets a
/// sidecar <c>OUTPUT.c2pa</c> beside the output), any earlier manifest is replaced, and the
/// manifest says what <see cref="SynthesisLabel"/> says: generated or composite, by which
/// software, from which ingredient files.
/// </summary>
public static class ContentCredentials
{
    /// <summary>Files over this size are refused: the asset is signed in memory.</summary>
    public const long MaxAssetBytes = int.MaxValue - 64 * 1024 * 1024;

    /// <summary>
    /// Signs <paramref name="input"/> into <paramref name="output"/> (the same path signs in
    /// place). Each file is written to a temporary name and renamed, so a failure leaves the old
    /// output (or none), never half a file. Returns the embedder's name ("PNG", "JPEG", "sidecar").
    /// </summary>
    public static string SignFile(string input, string output, SynthesisLabel label, SigningIdentity identity)
    {
        byte[] asset = ReadAsset(input);
        IAssetEmbedder embedder = AssetEmbedders.For(asset);
        SignedAsset signed = Sign(asset, input, label with { Title = label.Title ?? Path.GetFileName(output) }, identity, embedder);

        bool inPlace = Path.GetFullPath(input) == Path.GetFullPath(output);
        if (signed.Sidecar is null)
        {
            AtomicFile.WriteAllBytes(output, signed.Asset);
            return embedder.Name;
        }
        if (!inPlace) AtomicFile.WriteAllBytes(output, signed.Asset);
        try { AtomicFile.WriteAllBytes(SidecarPath(output), signed.Sidecar); }
        catch (Exception) when (!inPlace)
        {
            File.Delete(output); // no unlabelled copy left behind
            throw;
        }
        return embedder.Name;
    }

    /// <summary>
    /// Validates the content credentials of <paramref name="path"/>: the manifest embedded in it,
    /// else its sidecar <c>PATH.c2pa</c> when there is one. <paramref name="manifestPath"/> names
    /// a sidecar explicitly (else <c>PATH.c2pa</c> or, as c2pa-rs names them, the path with its
    /// extension replaced by <c>.c2pa</c>); <paramref name="path"/> may also be the <c>.c2pa</c> file itself when
    /// its asset lies beside it. An embedded manifest wins over a sidecar, as C2PA says.
    /// </summary>
    public static ValidationReport VerifyFile(string path, string? manifestPath = null)
    {
        if (manifestPath is null && path.EndsWith(SidecarEmbedder.Extension, StringComparison.OrdinalIgnoreCase) && File.Exists(path))
        {
            string asset = path[..^SidecarEmbedder.Extension.Length];
            if (!File.Exists(asset)) throw new DoppelException($"{path} is a sidecar manifest, but its asset {asset} is not beside it", "verify the asset: doppel verify ASSET --manifest FILE.c2pa");
            return VerifyFile(asset, path);
        }
        byte[] bytes = ReadAsset(path);
        if (manifestPath is not null)
        {
            if (!File.Exists(manifestPath)) throw new DoppelException($"manifest not found: {manifestPath}", "check the path of the .c2pa file");
            return ManifestValidator.ValidateSidecar(bytes, File.ReadAllBytes(manifestPath));
        }
        ValidationReport embedded = ManifestValidator.Validate(bytes, path);
        if (embedded.State != ValidationState.NoManifest) return embedded;
        // Doppel writes ASSET.c2pa; c2pa-rs looks for the asset's name with the extension replaced.
        foreach (string sidecar in new[] { SidecarPath(path), Path.ChangeExtension(path, SidecarEmbedder.Extension) })
            if (File.Exists(sidecar)) return ManifestValidator.ValidateSidecar(bytes, File.ReadAllBytes(sidecar));
        return embedded;
    }

    private static byte[] ReadAsset(string path)
    {
        if (!File.Exists(path)) throw new DoppelException($"file not found: {path}", "check the path");
        long size = new FileInfo(path).Length;
        if (size > MaxAssetBytes) throw new DoppelException($"{path} is {size / (1 << 20)} MiB, more than Doppel reads in memory", "Doppel signs and verifies files under 2 GB");
        return File.ReadAllBytes(path);
    }

    /// <summary>Where the sidecar manifest of <paramref name="asset"/> goes: beside it, <c>ASSET.c2pa</c>.</summary>
    public static string SidecarPath(string asset) => asset + SidecarEmbedder.Extension;

    /// <summary>Signs bytes in memory; <paramref name="source"/> names the asset in messages and (for sidecars) gives its format by extension.</summary>
    public static SignedAsset Sign(byte[] asset, string source, SynthesisLabel label, SigningIdentity identity, IAssetEmbedder? embedder = null)
    {
        embedder ??= AssetEmbedders.For(asset);
        IEmbedding embedding = embedder.Prepare(asset, source);
        var builder = new ManifestBuilder(label.SoftwareAgent, label.SoftwareVersion) { Title = label.Title ?? Path.GetFileName(source) };
        var refs = new List<(IngredientRelationship, CborMap)>();
        foreach (IngredientFile ingredient in label.Ingredients)
            refs.Add((ingredient.Relationship, builder.Add(IngredientAssertion.FromFile(ingredient))));
        builder.Add(SynthesisActions.For(label, refs));
        return builder.Sign(embedding, identity);
    }
}
