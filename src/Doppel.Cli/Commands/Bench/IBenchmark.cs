using Doppel.Cli.Options;

namespace Doppel.Cli.Commands.Bench;

/// <summary>
/// One thing <c>doppel bench</c> can measure. Each benchmark declares its own options, so
/// <c>bench train --frames 5</c> is rejected instead of silently ignored; <see cref="BenchCommand"/>
/// only picks the benchmark by name and stitches the help texts together.
/// </summary>
internal interface IBenchmark
{
    /// <summary>The word after <c>bench</c>, e.g. "train".</summary>
    string Name { get; }

    /// <summary>The usage line, starting with "doppel bench NAME".</summary>
    string UsageLine { get; }

    /// <summary>What is measured and how, a few indented lines for the help text.</summary>
    string Description { get; }

    OptionSet Options { get; }

    /// <summary>Runs with the options already parsed; prints its machine-readable line last.</summary>
    int Run(ParsedOptions parsed);
}
