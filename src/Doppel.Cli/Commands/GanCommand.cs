using System.Text;
using Doppel.Cli.Commands.Gan;
using Doppel.Cli.Options;
using Doppel.Core;

namespace Doppel.Cli.Commands;

/// <summary>
/// <c>doppel gan train|sample|eval</c>: generative adversarial nets (Goodfellow et al. 2014). Each
/// verb is its own class with its own options (<see cref="IGanVerb"/>); this command picks one by
/// name, as <see cref="BenchCommand"/> picks a benchmark.
/// </summary>
public sealed class GanCommand : ICommand
{
    private readonly IGanVerb[] verbs = [new GanTrainVerb(), new GanSampleVerb(), new GanEvalVerb(), new GanAverageVerb()];

    public string Name => "gan";
    public string Summary => "Train a GAN (Algorithm 1; MNIST or faces), draw labelled samples, score it (Parzen window)";

    /// <summary>Empty on purpose: each verb declares and parses its own options; <see cref="Usage"/> lists them.</summary>
    public OptionSet Options { get; } = new("gan", maxPositionals: 2);

    public string Usage
    {
        get
        {
            var sb = new StringBuilder();
            for (int i = 0; i < verbs.Length; i++)
                sb.Append(i == 0 ? "usage: " : "       ").Append(verbs[i].UsageLine).Append('\n');
            sb.Append('\n');
            foreach (var v in verbs) sb.Append(v.Description.TrimEnd()).Append("\n\n");
            sb.Append("See docs/gan.md for what Algorithm 1 does here and the figures measured.\n");
            foreach (var v in verbs)
                sb.Append('\n').Append("gan ").Append(v.Name).Append(' ').Append(v.Options.Describe()).Append('\n');
            return sb.ToString();
        }
    }

    public int Run(string[] args)
    {
        string available = string.Join(", ", verbs.Select(v => v.Name));
        if (args.Length == 0 || args[0].StartsWith('-'))
            throw new DoppelException("gan needs a verb", $"try 'doppel gan train' (available: {available}; see doppel gan --help)");
        IGanVerb verb = verbs.FirstOrDefault(v => v.Name == args[0])
            ?? throw new DoppelException($"unknown gan verb '{args[0]}'", $"available: {available}");
        return verb.Run(verb.Options.Parse(args[1..]));
    }
}
