namespace Doppel.Cli.Options;

/// <summary>
/// <c>--no-sign</c>, the same on every command that writes synthetic media (convert, train,
/// demo): outputs are labelled with C2PA content credentials unless the user opts out.
/// </summary>
internal static class NoSignOption
{
    public const string Help = "do not label the synthetic outputs with C2PA content credentials (not recommended: unlabelled fakes pass for real; see README, Responsible use)";

    public static Option<bool> AddTo(OptionSet options) => options.Flag("no-sign", Help);
}
