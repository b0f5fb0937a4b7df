using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Provenance;
using Doppel.Provenance.Cose;
using Doppel.Provenance.Manifest;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel sign</c>: labels a file as AI-generated (or AI-edited) with signed C2PA content credentials.</summary>
public sealed class SignCommand : ICommand
{
    private readonly Option<string?> output, parent, title, description;
    private readonly SigningOptions signing;
    private readonly Option<IReadOnlyList<string>> inputs;
    private readonly Option<bool> composite;

    public SignCommand()
    {
        output = Options.OptionalString("out", "where to write the signed file (may be FILE itself: signs in place)", "file");
        Options.ShortAlias('o', output);
        composite = Options.Flag("composite", "a real source with generated parts (a swapped face): compositeWithTrainedAlgorithmicMedia instead of trainedAlgorithmicMedia");
        parent = Options.OptionalString("parent", "the source FILE was made from (recorded as the parentOf ingredient; implies --composite)", "file");
        inputs = Options.Repeated("input", "a file used to make FILE, e.g. the model's weights (an inputTo ingredient)", "file");
        title = Options.OptionalString("title", "the manifest's title (default: the output's file name)", "text");
        description = Options.OptionalString("description", "a few words on what was done, e.g. \"face swapped\"", "text");
        signing = new SigningOptions(Options, offerNoSign: false);
    }

    public string Name => "sign";
    public string Summary => "Label a file as AI-generated or AI-edited with signed C2PA content credentials";
    public OptionSet Options { get; } = new("sign", maxPositionals: 1);

    public string Usage => """
        usage: doppel sign FILE -o OUT [--composite] [--parent SOURCE] [--input MODEL]... [--key KEY.pem --cert CERT.pem]

        Adds a signed C2PA manifest that says how FILE was made:
          default      c2pa.created, digitalSourceType trainedAlgorithmicMedia (fully generated)
          --composite  compositeWithTrainedAlgorithmicMedia (a real source with generated parts);
                       with --parent: c2pa.opened on the source, then c2pa.edited
        --parent and each --input become ingredients, named by file name, format and SHA-256.

        Where the manifest goes is chosen from FILE's bytes: PNG, a caBX chunk; JPEG, APP11
        segments; MP4/MOV, a C2PA uuid box after ftyp (chunk offsets are moved, frames are
        untouched; the binding is c2pa.hash.bmff.v2); any other file is left unchanged and the
        manifest is written beside OUT as OUT.c2pa (a sidecar; keep the two together).
        Fragmented MP4 is refused (remux with ffmpeg -movflags +faststart). An earlier manifest
        in FILE is replaced. Without --key/--cert, doppel uses (and on first use creates) a
        local key and certificate in the cache, readable by you only; verifiers report such a
        certificate as untrusted. Check the result with 'doppel verify OUT'.
        """ + "\n\n" + Options.Describe();

    public int Run(string[] args)
    {
        ParsedOptions parsed = Options.Parse(args);
        if (parsed.Positionals.Count != 1) throw new DoppelException("sign needs one input file", "usage: doppel sign FILE -o OUT");
        string input = parsed.Positionals[0];
        string outPath = parsed.Get(output) ?? throw new DoppelException("sign needs an output file", $"add -o OUT (or -o {input} to sign in place)");
        if (!File.Exists(input)) throw new DoppelException($"file not found: {input}", "check the path");

        var inputFiles = parsed.Get(inputs).Select(SyntheticOutputPolicy.Model).ToList();
        string? source = parsed.Get(parent);

        using SigningIdentity identity = signing.Open(parsed)!; // sign has no --no-sign
        // The same policy labels what convert, train and a sampler write; sign only picks the kind.
        var policy = (parsed.Get(composite) || source is not null
            ? SyntheticOutputPolicy.Composite(inputFiles, identity)
            : SyntheticOutputPolicy.Created(inputFiles, identity)) with { Description = parsed.Get(description) };
        string container = policy.Sign(input, outPath, source, parsed.Get(title));
        string where = container == "sidecar" ? $"{ContentCredentials.SidecarPath(outPath)} (sidecar; {outPath} unchanged)" : $"{outPath} ({container})";
        string kind = policy.Kind == SynthesisKind.Composite ? "compositeWithTrainedAlgorithmicMedia" : "trainedAlgorithmicMedia";
        int ingredients = inputFiles.Count + (source is null ? 0 : 1);
        Console.Out.WriteLine($"signed {where}: {kind}, {ingredients} ingredient(s), signer {identity.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false)}");
        return CliApp.ExitOk;
    }
}
