using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Provenance;
using Doppel.Provenance.Cose;
using Doppel.Provenance.Manifest;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel sign</c>: embeds a signed C2PA manifest that labels a PNG as AI-generated.</summary>
public sealed class SignCommand : ICommand
{
    private readonly Option<string?> output, key, cert;

    public SignCommand()
    {
        output = Options.OptionalString("out", "where to write the signed file", "file");
        Options.ShortAlias('o', output);
        key = Options.OptionalString("key", "PEM P-256 private key to sign with (default: the local key in the cache)", "file");
        cert = Options.OptionalString("cert", "PEM certificate chain for --key, end-entity first", "file");
    }

    public string Name => "sign";
    public string Summary => "Label a PNG, JPEG or MP4 as AI-generated with signed C2PA content credentials";
    public OptionSet Options { get; } = new("sign", maxPositionals: 1);

    public string Usage => """
        usage: doppel sign FILE -o OUT [--key KEY.pem --cert CERT.pem]

        Embeds a signed C2PA manifest: a c2pa.created action with digitalSourceType
        trainedAlgorithmicMedia, a hash that binds it to the file, and an ES256 signature.
        Where it goes is chosen from the file's bytes: PNG, a caBX chunk; JPEG, APP11
        segments; MP4/MOV, a C2PA uuid box after ftyp (chunk offsets are moved, frames are
        untouched; the binding is c2pa.hash.bmff.v2); anything else is left as it is and gets
        OUT.c2pa beside it. Fragmented MP4 is refused (remux with ffmpeg -movflags +faststart).
        A file signed before has its old manifest replaced. Without --key/--cert, doppel uses
        (and on first use creates) a local key and certificate in the cache, readable by you
        only; verifiers report such a certificate as untrusted.
        """ + "\n\n" + Options.Describe();

    public int Run(string[] args)
    {
        ParsedOptions parsed = Options.Parse(args);
        if (parsed.Positionals.Count != 1) throw new DoppelException("sign needs one input file", "usage: doppel sign FILE -o OUT");
        string input = parsed.Positionals[0];
        string outPath = parsed.Get(output) ?? throw new DoppelException("sign needs an output file", "add -o OUT");
        if (!File.Exists(input)) throw new DoppelException($"file not found: {input}", "check the path");
        string? keyPath = parsed.Get(key), certPath = parsed.Get(cert);
        if ((keyPath is null) != (certPath is null)) throw new DoppelException("--key and --cert go together", "pass both, or neither to use the local key");
        using SigningIdentity identity = keyPath is null ? SigningIdentity.LoadOrCreateLocal() : SigningIdentity.Load(keyPath, certPath!);
        ContentCredentials.SignFile(input, outPath, new SynthesisLabel { SoftwareVersion = VersionInfo.Version.Split('+')[0] }, identity);
        Console.Out.WriteLine($"signed {outPath}: c2pa.created, trainedAlgorithmicMedia, signer {identity.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false)}");
        return CliApp.ExitOk;
    }
}
