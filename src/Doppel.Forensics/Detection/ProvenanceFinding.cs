using Doppel.Core;
using Doppel.Provenance;
using Doppel.Provenance.Manifest;

namespace Doppel.Forensics.Detection;

/// <summary>What C2PA says about a file, kept apart from the pixel evidence (never merged into its score).</summary>
public enum ProvenanceState { NoManifest, Valid, Invalid, Unchecked }

/// <summary>
/// The C2PA check of one input, through <c>doppel verify</c>'s engine (<see cref="ContentCredentials.VerifyFile"/>):
/// whether a manifest is there and valid, and whether it declares the content synthetic
/// (a digital source type of trained algorithmic media, alone or in a composite), with the
/// generator that claims it. A synthetic label is reported as such even when the pixels look
/// clean: a label is the maker's own statement, the detector only a guess from pixels.
/// </summary>
public sealed record ProvenanceFinding(ProvenanceState State, bool SaysSynthetic, IReadOnlyList<string> SourceTypes, string? Generator, string? Problem)
{
    public static ProvenanceFinding Check(string path)
    {
        try
        {
            var report = ContentCredentials.VerifyFile(path);
            var types = report.Actions.Select(SourceType).Where(t => t is not null).Select(t => t!).Distinct().ToList();
            var state = report.State switch
            {
                ValidationState.Valid => ProvenanceState.Valid,
                ValidationState.NoManifest => ProvenanceState.NoManifest,
                _ => ProvenanceState.Invalid,
            };
            bool synthetic = types.Any(t => t.Contains("AlgorithmicMedia", StringComparison.OrdinalIgnoreCase) || t.Contains("Synthetic", StringComparison.OrdinalIgnoreCase));
            string? problem = state == ProvenanceState.Invalid ? string.Join("; ", report.Failures.Select(f => f.Code)) : null;
            return new ProvenanceFinding(state, synthetic, types, report.ClaimGenerator, problem);
        }
        catch (DoppelException e)
        {
            return new ProvenanceFinding(ProvenanceState.Unchecked, false, [], null, e.Message);
        }
    }

    /// <summary>One line, e.g. "C2PA: valid, says synthetic (compositeWithTrainedAlgorithmicMedia, made by Doppel/0.1.0)" or "C2PA: no manifest".</summary>
    public string Describe() => State switch
    {
        ProvenanceState.NoManifest => "C2PA: no manifest",
        ProvenanceState.Unchecked => $"C2PA: could not be checked ({Problem})",
        _ => $"C2PA: {(State == ProvenanceState.Valid ? "valid" : "INVALID")}, "
             + (SaysSynthetic ? "says synthetic" : SourceTypes.Count > 0 ? "says " + string.Join(", ", SourceTypes) : "declares no synthetic content")
             + Details(),
    };

    private string Details()
    {
        var parts = new List<string>();
        if (SaysSynthetic) parts.AddRange(SourceTypes);
        if (Generator is { Length: > 0 } g) parts.Add($"made by {g}");
        if (Problem is { Length: > 0 } p) parts.Add($"failures: {p}");
        return parts.Count > 0 ? $" ({string.Join(", ", parts)})" : "";
    }

    // "c2pa.created (http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia)" -> "trainedAlgorithmicMedia"
    private static string? SourceType(string action)
    {
        int open = action.IndexOf('('), close = action.LastIndexOf(')');
        if (open < 0 || close <= open) return null;
        string url = action[(open + 1)..close];
        return url[(url.LastIndexOf('/') + 1)..];
    }
}
