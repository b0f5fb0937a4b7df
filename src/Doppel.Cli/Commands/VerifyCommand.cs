using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Provenance;
using Doppel.Provenance.Manifest;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel verify</c>: checks a file's C2PA manifest and prints the verdict and status codes.</summary>
public sealed class VerifyCommand : ICommand
{
    public const int ExitInvalid = 1, ExitNoManifest = 2;
    private readonly Option<bool> json;
    private readonly Option<string?> manifest;

    public VerifyCommand()
    {
        json = Options.Flag("json", "print the report as JSON");
        manifest = Options.OptionalString("manifest", "a sidecar manifest store (.c2pa) to check FILE against", "file");
    }

    public string Name => "verify";
    public string Summary => "Check a file's C2PA content credentials, embedded or sidecar (exit 0 valid, 1 invalid, 2 none)";
    public OptionSet Options { get; } = new("verify", maxPositionals: 1);

    public string Usage => """
        usage: doppel verify FILE [--json] [--manifest FILE.c2pa]

        Reads the C2PA manifest of FILE and checks the claim signature, the assertion hashes and
        the hard binding over the file (c2pa.hash.data; for MP4 the c2pa.hash.bmff box hash, v1
        to v3). The manifest is the one embedded in a PNG, JPEG or MP4/MOV, else the sidecar
        FILE.c2pa beside it; --manifest names a sidecar elsewhere, and FILE may be the .c2pa
        itself when its asset lies beside it. Prints the signer, the actions, the ingredients
        (title, format, relationship, SHA-256) and the C2PA status codes. Exit code 0: valid (a
        self-signed or otherwise untrusted certificate is said so, but an intact file is still
        valid); 1: invalid or tampered; 2: no manifest.
        """ + "\n\n" + Options.Describe();

    public int Run(string[] args)
    {
        ParsedOptions parsed = Options.Parse(args);
        if (parsed.Positionals.Count != 1) throw new DoppelException("verify needs one file", "usage: doppel verify FILE [--json]");
        string path = parsed.Positionals[0];
        ValidationReport r = ContentCredentials.VerifyFile(path, parsed.Get(manifest));
        if (parsed.Get(json)) Console.Out.WriteLine(ValidationReportJson.ToJson(path, r));
        else WriteText(path, r);
        return r.State switch { ValidationState.Valid => CliApp.ExitOk, ValidationState.NoManifest => ExitNoManifest, _ => ExitInvalid };
    }

    private static void WriteText(string path, ValidationReport r)
    {
        var o = Console.Out;
        if (r.State == ValidationState.NoManifest) { o.WriteLine($"{path}: no C2PA manifest"); return; }
        o.WriteLine($"{path}: {(r.State == ValidationState.Valid ? "VALID" : "INVALID")}");
        o.WriteLine($"  manifest:  {r.ActiveManifest} ({r.Container}, {r.ManifestCount} in store)");
        if (r.ClaimGenerator is { } g) o.WriteLine($"  generator: {g}");
        if (r.Signer is { } s) o.WriteLine($"  signed by: {s} (issuer {r.Issuer}, {r.SignatureAlgorithm}{(r.HasTimestamp ? ", timestamped" : ", no timestamp")})");
        o.WriteLine("  trust:     certificate not trusted (Doppel has no trust list; a valid verdict means intact, not vouched for)");
        foreach (string a in r.Actions) o.WriteLine($"  action:    {a}");
        foreach (IngredientInfo i in r.Ingredients)
            o.WriteLine($"  ingredient: {i.Title} ({i.Format}, {i.Relationship}{(i.Sha256 is { } h ? ", sha256 " + h : "")}{(i.Manifest is { } m ? ", manifest " + m : "")})");
        foreach (string m in r.OtherManifests) o.WriteLine($"  earlier manifest: {m}");
        foreach (StatusCode c in r.Codes) o.WriteLine($"  {(c.Failure ? "FAIL" : "ok  ")} {c.Code}: {c.Explanation}");
    }
}
