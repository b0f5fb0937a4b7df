using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Forensics.Evaluation;
using Doppel.Forensics.Model;

namespace Doppel.Forensics.Training;

/// <summary>What <see cref="DetectorEnsemble.Build"/> needs: the member models, the calibration faces and where to write.</summary>
public sealed record DetectorEnsembleOptions
{
    public required IReadOnlyList<string> Members { get; init; }
    public required IReadOnlyList<string> CalibrationSets { get; init; }
    public required string Output { get; init; }
    public double TargetFpr { get; init; } = 0.01;
    public string Name { get; init; } = "doppel-sbi-ensemble";
    public string Command { get; init; } = "";
}

/// <summary>
/// <c>doppel detect ensemble</c>: several trained detectors of one shape as one model whose score
/// is their mean logit. Detectors trained from the same few people with different seeds flag
/// different real faces and miss different fakes; their mean ranks swaps above real faces more
/// reliably than any one of them (docs/forensics.md, "The ensemble"). The members' own thresholds
/// mean nothing for the mean, so the ensemble is always calibrated again, on faces of people none
/// of the members trained on.
/// </summary>
public static class DetectorEnsemble
{
    public static JsonObject Build(DetectorEnsembleOptions options)
    {
        if (options.Members.Count < 2) throw new DoppelException("an ensemble needs at least two detector models", "pass two or more models from doppel detect train");
        if (options.CalibrationSets.Count == 0)
            throw new DoppelException("an ensemble must be calibrated on real faces of people none of its members trained on",
                "add --calibrate DIR (a face set from doppel extract of such people)");
        var members = options.Members.Select(DetectorModel.Load).ToList();
        if (members.FirstOrDefault(m => m.Nets.Count > 1) is { } nested)
            throw new DoppelException($"{nested.Path} is itself an ensemble", "pass the models doppel detect train wrote");
        if (members.FirstOrDefault(m => m.Spec != members[0].Spec) is { } odd)
            throw new DoppelException($"{odd.Path} has another shape ({Shape(odd.Spec)}) than {members[0].Path} ({Shape(members[0].Spec)})",
                "an ensemble's members must share input size, width and face fraction");

        var calibration = CalibrationFaces.Load(options.CalibrationSets, members[0].Spec);
        if (calibration.Faces.Count == 0) throw new DoppelException("the calibration face sets hold no faces", "extract faces of real people into them with doppel extract");
        var nets = members.Select(m => m.Nets[0]).ToList();
        var scores = FaceScorer.Score(nets, calibration.Faces).Select(s => s.Score).ToList();
        float threshold = RocMetrics.ThresholdAtFpr(scores, options.TargetFpr);
        var info = new JsonObject
        {
            ["name"] = options.Name,
            ["threshold"] = threshold,
            ["targetFpr"] = options.TargetFpr,
            ["thresholdFpr"] = RocMetrics.RateAtOrAbove(scores, threshold),
            ["calibration"] = calibration.Calibration(options.TargetFpr),
            ["calibrationSets"] = calibration.SetsJson(),
            ["ensemble"] = new JsonObject
            {
                ["command"] = options.Command,
                ["pooling"] = "score = sigmoid of the mean logit over the members and over each face and its mirror image",
            },
            ["members"] = new JsonArray([.. members.Select(Describe)]),
        };
        return DetectorModel.SaveEnsemble(options.Output, nets, info);
    }

    /// <summary>What the ensemble keeps of a member: who it is and how it was made (its own threshold no longer applies).</summary>
    private static JsonNode Describe(DetectorModel member) => new JsonObject
    {
        ["file"] = Path.GetFileName(member.Path),
        ["name"] = member.Name,
        ["version"] = member.Version,
        ["validation"] = member.Info["validation"]?.DeepClone(),
        ["training"] = member.Info["training"]?.DeepClone(),
    };

    private static string Shape(DetectorSpec spec) => FormattableString.Invariant($"input {spec.InputSize} px, width {spec.Width}, face fraction {spec.FaceFraction}");
}
