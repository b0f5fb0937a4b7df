using System.Globalization;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Forensics.Training;

namespace Doppel.Cli.Commands;

/// <summary>
/// <c>doppel detect ensemble MODEL MODEL... -o FILE --calibrate DIR</c>: joins detectors from
/// <c>detect train</c> into one model whose score is their mean logit, calibrated on real faces
/// of new people (<see cref="DetectorEnsemble"/>). Reached through <see cref="DetectCommand"/>,
/// whose help includes this one's.
/// </summary>
public sealed class DetectEnsembleCommand : ICommand
{
    private readonly Option<string?> output;
    private readonly Option<IReadOnlyList<string>> calibrate;
    private readonly Option<double> fpr;
    private readonly Option<string> name;

    public DetectEnsembleCommand()
    {
        output = Options.OptionalString("out", "the ensemble model to write (.safetensors; a .json beside it says how it was made)", "file");
        Options.ShortAlias('o', output);
        calibrate = Options.Repeated("calibrate", "a face set (from doppel extract) of real people none of the members trained on: the threshold is calibrated on their faces; repeatable, at least one", "dir");
        fpr = Options.Double("fpr", 0.01, "false-positive rate the threshold is calibrated to on the --calibrate faces", min: 0.0001, max: 0.49);
        name = Options.String("name", "doppel-sbi-ensemble", "the model's name, shown in every verdict");
    }

    public string Name => "detect ensemble";
    public string Summary => "Join trained fake detectors into one model (mean logit), calibrated on new people";
    public OptionSet Options { get; } = new("detect ensemble", maxPositionals: 64);

    public string Usage => """
        usage: doppel detect ensemble MODEL MODEL... -o FILE --calibrate DIR [--calibrate DIR]... [--fpr 0.01] [--name NAME]

        Joins two or more detectors from doppel detect train (the same --size and --width, for
        example one recipe at several --seed values) into one model file. Its score for a face is
        the sigmoid of the mean logit of every member on the face and on its mirror image: members
        trained on the same few people flag different real faces and miss different fakes, and the
        mean ranks swaps above real faces more reliably than any one of them. The members' own
        thresholds do not apply to the mean, so the ensemble is calibrated again on --calibrate
        faces (real people none of the members trained on): its threshold is the lowest score
        that flags at most --fpr of them. FILE.json beside the model records each member's
        training command, seed and data. Use it with doppel detect --model FILE; detect costs one
        network pass per member and view.
        """ + "\n\n" + Options.Describe();

    public int Run(string[] args)
    {
        var parsed = Options.Parse(args);
        string file = parsed.Get(output) ?? throw new DoppelException("detect ensemble needs an output file", "add -o FILE.safetensors");
        var info = DetectorEnsemble.Build(new DetectorEnsembleOptions
        {
            Members = parsed.Positionals,
            CalibrationSets = parsed.Get(calibrate),
            Output = file,
            TargetFpr = parsed.Get(fpr),
            Name = parsed.Get(name),
            Command = "doppel detect ensemble " + string.Join(' ', args.Select(a => a.Contains(' ') ? $"\"{a}\"" : a)),
        });
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ensemble: {file} ({parsed.Positionals.Count} members, version {info["version"]}, threshold {info["threshold"]}, flags {(double)info["thresholdFpr"]! * 100:F1}% of the calibration faces)"));
        return 0;
    }
}
