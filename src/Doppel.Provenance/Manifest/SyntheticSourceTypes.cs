namespace Doppel.Provenance.Manifest;

/// <summary>
/// The IPTC digital source types that declare media synthetic, with the words a person reads
/// (IPTC NewsCodes "digitalsourcetype"). Other types (a camera capture, a scan, a minor
/// algorithmic enhancement) are not a synthetic declaration.
/// </summary>
public static class SyntheticSourceTypes
{
    private const string Base = "http://cv.iptc.org/newscodes/digitalsourcetype/";

    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        [C2pa.TrainedAlgorithmicMedia] = "made by a trained model (generative AI)",
        [C2pa.CompositeWithTrainedAlgorithmicMedia] = "real media with parts made by a trained model (e.g. a swapped face)",
        [Base + "algorithmicMedia"] = "made by an algorithm without training data",
        [Base + "compositeSynthetic"] = "a composite that includes synthetic elements",
    };

    /// <summary>What a synthetic digital source type means, or null when the type does not declare the media synthetic.</summary>
    public static string? Describe(string digitalSourceType) => Words.GetValueOrDefault(digitalSourceType);
}
