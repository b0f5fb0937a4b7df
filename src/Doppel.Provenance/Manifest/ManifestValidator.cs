using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Doppel.Core;
using Doppel.Provenance.Assets;
using Doppel.Provenance.Cbor;
using Doppel.Provenance.Cose;
using Doppel.Provenance.Jumbf;

namespace Doppel.Provenance.Manifest;

/// <summary>Valid, Invalid (tampered or broken), or no manifest at all.</summary>
public enum ValidationState { Valid, Invalid, NoManifest }

/// <summary>One C2PA validation status: a standard code, the JUMBF URI it concerns, and why.</summary>
public sealed record StatusCode(string Code, string? Url, string Explanation, bool Failure);

/// <summary>One ingredient the active manifest names: title, format, relationship, the SHA-256 of its file (hex) and its own manifest, when given.</summary>
public sealed record IngredientInfo(string? Title, string? Format, string? Relationship, string? Sha256, string? Manifest);

/// <summary>What <see cref="ManifestValidator"/> found: the verdict, codes and what the active manifest says.</summary>
public sealed class ValidationReport
{
    public ValidationState State { get; set; } = ValidationState.Valid;
    public List<StatusCode> Codes { get; } = [];
    public string? ActiveManifest { get; set; }
    public string? Container { get; set; }
    public string? ClaimGenerator { get; set; }
    public string? Title { get; set; }
    public string? Signer { get; set; }
    public string? Issuer { get; set; }
    public string? SignatureAlgorithm { get; set; }
    public DateTimeOffset? CertificateNotAfter { get; set; }
    public bool HasTimestamp { get; set; }
    public List<string> Actions { get; } = [];

    /// <summary>The actions' IPTC digital source types (URIs), in order, each once.</summary>
    public List<string> DigitalSourceTypes { get; } = [];

    /// <summary>True when an action declares the asset synthetic (see <see cref="SyntheticSourceTypes"/>); what the manifest says, valid or not.</summary>
    public bool DeclaresSynthetic => DigitalSourceTypes.Any(t => SyntheticSourceTypes.Describe(t) is not null);

    public List<IngredientInfo> Ingredients { get; } = [];

    /// <summary>Labels of the store's other manifests (those of ingredients that had their own).</summary>
    public List<string> OtherManifests { get; } = [];
    public int ManifestCount { get; set; }

    public IEnumerable<StatusCode> Failures => Codes.Where(c => c.Failure);

    internal void Ok(string code, string? url, string why) => Codes.Add(new StatusCode(code, url, why, false));
    internal void Fail(string code, string? url, string why) => Codes.Add(new StatusCode(code, url, why, true));
}

/// <summary>
/// Reads and checks the active manifest of a file: the claim's COSE signature over its exact
/// bytes, every hashed-URI assertion reference, and the hard binding over the file (through
/// <see cref="HardBindingChecks"/>). The store is embedded (found by the file's embedder) or
/// a sidecar. Problems in the file become C2PA status codes in the report; only I/O and
/// damaged containers throw. There is no trust list: every signer is reported
/// signingCredential.untrusted (informational, like the official reader with no trust anchors).
/// </summary>
public static class ManifestValidator
{
    /// <summary>Validates the manifest store embedded in <paramref name="file"/>; NoManifest when there is none.</summary>
    public static ValidationReport Validate(byte[] file, string source = "file")
    {
        EmbeddedManifest? embedded = ManifestLocator.Find(file, source);
        if (embedded is null) return new ValidationReport { State = ValidationState.NoManifest };
        return ValidateStore(file, embedded.Jumbf, embedded.Container);
    }

    /// <summary>Validates a sidecar manifest store (<c>ASSET.c2pa</c>) against the asset it describes.</summary>
    public static ValidationReport ValidateSidecar(byte[] asset, byte[] store) => ValidateStore(asset, store, "sidecar .c2pa file");

    private static ValidationReport ValidateStore(byte[] file, byte[] jumbf, string container)
    {
        var report = new ValidationReport { Container = container };
        try
        {
            ValidateStore(file, jumbf, report);
        }
        catch (Exception e) when (e is JumbfException or CborException or CryptographicException or ArgumentException or OverflowException or NotSupportedException)
        {
            report.Fail("manifest.malformed", null, $"the manifest store cannot be parsed: {e.Message}");
        }
        report.State = report.Failures.Any() ? ValidationState.Invalid : ValidationState.Valid;
        return report;
    }

    private static void ValidateStore(byte[] file, byte[] jumbf, ValidationReport report)
    {
        JumbfBox store = JumbfReader.ReadBox(jumbf);
        if (!store.IsSuperbox || store.Description!.TypeCode != "c2pa")
            throw new JumbfException("the top-level box is not a C2PA manifest store");
        var manifests = store.Children.Where(c => c.IsSuperbox && c.Description!.TypeCode is "c2ma" or "c2um").ToList();
        report.ManifestCount = manifests.Count;
        if (manifests.Count == 0) { report.Fail("claim.missing", null, "the manifest store holds no manifest"); return; }
        JumbfBox active = manifests[^1];
        string label = active.Label ?? "";
        report.ActiveManifest = label;
        string baseUrl = $"self#jumbf=/c2pa/{label}";
        foreach (var other in manifests.Take(manifests.Count - 1)) report.OtherManifests.Add(other.Label ?? "(unlabelled manifest)");

        JumbfBox? claimBox = active.Child(C2pa.Claim) ?? active.Child(C2pa.ClaimV2);
        if (claimBox?.Content is not { } claimContent) { report.Fail("claim.missing", baseUrl, "the manifest has no claim"); return; }
        ReadOnlySpan<byte> claimBytes = claimContent.Payload.Span;
        if (CborReader.Decode(claimBytes) is not CborMap claim) { report.Fail("claim.cbor.invalid", baseUrl + "/" + claimBox.Label, "the claim is not a CBOR map"); return; }
        report.ClaimGenerator = claim.GetString("claim_generator") ?? GeneratorInfo(claim["claim_generator_info"]);
        report.Title = claim.GetString("dc:title");

        CheckSignature(active, claimBytes, baseUrl, report);

        string claimAlg = claim.GetString("alg") ?? "sha256";
        var refs = new List<object?>();
        refs.AddRange(claim.GetArray("assertions") ?? []);
        refs.AddRange(claim.GetArray("created_assertions") ?? []);
        refs.AddRange(claim.GetArray("gathered_assertions") ?? []);
        JumbfBox? assertionStore = active.Child(C2pa.AssertionStore);
        bool hardBinding = false;
        foreach (object? r in refs)
        {
            if (r is not CborMap uri || uri.GetString("url") is not { } url || uri.GetBytes("hash") is not { } expected)
            {
                report.Fail("assertion.hashedURI.mismatch", baseUrl, "a claim reference is not a hashed URI");
                continue;
            }
            string assertionLabel = url[(url.LastIndexOf('/') + 1)..];
            string fullUrl = $"{baseUrl}/{C2pa.AssertionStore}/{assertionLabel}";
            JumbfBox? box = assertionStore?.Child(assertionLabel);
            if (box is null) { report.Fail("assertion.missing", fullUrl, $"assertion {assertionLabel} is referenced but missing"); continue; }
            byte[]? actual = Hash(uri.GetString("alg") ?? claimAlg, box.Payload.Span);
            if (actual is null || !actual.AsSpan().SequenceEqual(expected))
            {
                report.Fail("assertion.hashedURI.mismatch", fullUrl, $"hash of {assertionLabel} does not match the claim");
                continue;
            }
            report.Ok("assertion.hashedURI.match", fullUrl, $"hashed uri matched: {assertionLabel}");
            string bare = StripInstance(assertionLabel);
            if (bare is C2pa.Actions or C2pa.ActionsV2) ReadActions(box, report);
            if (bare is C2pa.Ingredient or C2pa.IngredientV2 or C2pa.IngredientV3) ReadIngredient(box, report);
            if (HardBindingChecks.For(bare) is { } check)
            {
                hardBinding = true;
                check.Check(file, box, bare, claimAlg, fullUrl, report);
            }
        }
        if (!hardBinding) report.Fail("claim.hardBindings.missing", baseUrl, "the claim has no hard binding Doppel can check");
    }

    private static string? GeneratorInfo(object? info) => info switch
    {
        CborMap m => Describe(m),
        List<object?> list => string.Join(", ", list.OfType<CborMap>().Select(Describe)),
        _ => null,
    };

    private static string Describe(CborMap m) => m.GetString("version") is { } v ? $"{m.GetString("name")} {v}" : m.GetString("name") ?? "";

    private static void CheckSignature(JumbfBox manifest, ReadOnlySpan<byte> claimBytes, string baseUrl, ValidationReport report)
    {
        string url = $"{baseUrl}/{C2pa.Signature}";
        if (manifest.Child(C2pa.Signature)?.Content is not { } sigContent) { report.Fail("claimSignature.missing", url, "the manifest has no claim signature"); return; }
        CoseSign1 cose;
        try { cose = CoseSign1.Parse(sigContent.Payload.Span); }
        catch (CborException e) { report.Fail("claimSignature.mismatch", url, $"the signature is not valid COSE_Sign1: {e.Message}"); return; }
        report.SignatureAlgorithm = CoseSign1.AlgorithmName(cose.Algorithm);
        report.HasTimestamp = cose.HasTimestamp;
        List<byte[]> chain = cose.CertificateChain;
        if (chain.Count == 0) { report.Fail("signingCredential.invalid", url, "the signature carries no x5chain certificate"); return; }
        X509Certificate2 cert;
        try { cert = X509CertificateLoader.LoadCertificate(chain[0]); }
        catch (CryptographicException e) { report.Fail("signingCredential.invalid", url, $"the signing certificate cannot be read: {e.Message}"); return; }
        using (cert)
        {
            report.Signer = cert.GetNameInfo(X509NameType.SimpleName, false);
            report.Issuer = cert.GetNameInfo(X509NameType.SimpleName, true);
            report.CertificateNotAfter = cert.NotAfter;
            bool valid;
            try { valid = cose.Verify(claimBytes, cert); }
            catch (NotSupportedException e) { report.Fail("algorithm.unsupported", url, e.Message); return; }
            catch (CryptographicException e) { report.Fail("claimSignature.mismatch", url, $"the signature cannot be checked: {e.Message}"); return; }
            if (!valid) { report.Fail("claimSignature.mismatch", url, "claim signature does not match the claim"); return; }
            report.Ok("claimSignature.validated", url, "claim signature valid");
            DateTime now = DateTime.Now;
            if (!report.HasTimestamp && (now < cert.NotBefore || now > cert.NotAfter))
                report.Fail("signingCredential.expired", url, $"the signing certificate is valid {cert.NotBefore:u} to {cert.NotAfter:u} only");
            report.Ok("signingCredential.untrusted", url, "signing certificate untrusted (Doppel has no trust list; the signature is intact)");
        }
    }

    private static void ReadActions(JumbfBox box, ValidationReport report)
    {
        try
        {
            if (box.Content is not { } c || CborReader.Decode(c.Payload.Span) is not CborMap m) return;
            foreach (object? a in m.GetArray("actions") ?? [])
                if (a is CborMap action && action.GetString("action") is { } name)
                {
                    string? dst = action.GetString("digitalSourceType");
                    report.Actions.Add(dst is not null ? $"{name} ({dst})" : name);
                    if (dst is not null && !report.DigitalSourceTypes.Contains(dst)) report.DigitalSourceTypes.Add(dst);
                }
        }
        catch (CborException) { /* the hash already matched; an unreadable action list is just not shown */ }
    }

    private static void ReadIngredient(JumbfBox box, ValidationReport report)
    {
        try
        {
            if (box.Content is not { } c || CborReader.Decode(c.Payload.Span) is not CborMap m) return;
            string? sha = IngredientAssertion.Sha256Hex(m.GetString("instanceID"));
            string? manifest = (m.GetMap("activeManifest") ?? m.GetMap("c2pa_manifest"))?.GetString("url");
            report.Ingredients.Add(new IngredientInfo(m.GetString("dc:title"), m.GetString("dc:format"), m.GetString("relationship"), sha, manifest));
        }
        catch (CborException) { /* the hash already matched; an unreadable ingredient is just not listed */ }
    }

    /// <summary>"c2pa.hash.data__1" → "c2pa.hash.data" (C2PA numbers repeated labels with __n).</summary>
    private static string StripInstance(string label)
    {
        int i = label.LastIndexOf("__", StringComparison.Ordinal);
        return i > 0 && label[(i + 2)..].All(char.IsAsciiDigit) ? label[..i] : label;
    }

    private static byte[]? Hash(string alg, ReadOnlySpan<byte> data) => alg switch
    {
        "sha256" => SHA256.HashData(data),
        "sha384" => SHA384.HashData(data),
        "sha512" => SHA512.HashData(data),
        _ => null,
    };
}
