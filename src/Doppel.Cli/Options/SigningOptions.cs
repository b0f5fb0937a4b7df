using Doppel.Core;
using Doppel.Provenance.Cose;
using Doppel.Provenance;

namespace Doppel.Cli.Options;

/// <summary>
/// How a command signs what it writes, the same on every command that writes synthetic media:
/// <c>--key</c>/<c>--cert</c> (the user's own identity; default: the local key, created on first
/// use) and, except on <c>doppel sign</c>, <c>--no-sign</c>. Outputs are labelled unless the user opts out.
/// </summary>
internal sealed class SigningOptions
{
    public const string NoSignHelp = "do not label the synthetic outputs with C2PA content credentials (not recommended: unlabelled fakes pass for real; see README, Responsible use)";

    private readonly Option<string?> _key, _cert;
    private readonly Option<bool>? _noSign;

    public SigningOptions(OptionSet options, bool offerNoSign = true)
    {
        _key = options.OptionalString("key", "PEM P-256 private key to sign with (default: the local key in the cache)", "file");
        _cert = options.OptionalString("cert", "PEM certificate chain for --key, end-entity first", "file");
        if (offerNoSign) _noSign = options.Flag("no-sign", NoSignHelp);
    }

    /// <summary>
    /// The identity to sign with (the user's --key/--cert, or the local key), checked and loaded
    /// before any work starts; null with --no-sign. The caller disposes it.
    /// </summary>
    public SigningIdentity? Open(ParsedOptions parsed)
    {
        string? key = parsed.Get(_key), cert = parsed.Get(_cert);
        if ((key is null) != (cert is null)) throw new DoppelException("--key and --cert go together", "pass both, or neither to use the local key");
        if (_noSign is not null && parsed.Get(_noSign))
        {
            if (key is not null) throw new DoppelException("--no-sign and --key/--cert contradict each other", "sign with your key, or leave the outputs unsigned");
            return null;
        }
        return key is null ? SigningIdentity.LoadOrCreateLocal() : SigningIdentity.Load(key, cert!);
    }

    /// <summary>How composite outputs (swaps, previews) are finished: labelled with <paramref name="identity"/>, or plain when it is null (--no-sign).</summary>
    public static SyntheticOutputPolicy Composite(SigningIdentity? identity, IReadOnlyList<Doppel.Provenance.Manifest.IngredientFile>? inputs = null) =>
        identity is null ? SyntheticOutputPolicy.Unsigned : SyntheticOutputPolicy.Composite(inputs, identity);
}
