using Doppel.Cli.Options;

namespace Doppel.Cli.Commands.Gan;

/// <summary>One verb after <c>doppel gan</c> (train, sample, eval), with its own options, as a benchmark of <c>doppel bench</c>.</summary>
internal interface IGanVerb
{
    /// <summary>The word after <c>gan</c>.</summary>
    string Name { get; }

    /// <summary>The usage line, starting with "doppel gan NAME".</summary>
    string UsageLine { get; }

    /// <summary>What it does, a few indented lines for the help text.</summary>
    string Description { get; }

    OptionSet Options { get; }

    int Run(ParsedOptions parsed);
}
