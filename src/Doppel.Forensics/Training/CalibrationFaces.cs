using System.Text.Json.Nodes;
using Doppel.Datasets.FaceSets;
using Doppel.Forensics.Model;
using Doppel.Media.Imaging;

namespace Doppel.Forensics.Training;

/// <summary>
/// Real faces of people a detector never trains on (face sets from <c>doppel extract</c>), cut to
/// its input as detect cuts them, for calibrating its threshold: a threshold set on held-out
/// frames of the training people flags far more of anyone else's faces.
/// </summary>
public sealed class CalibrationFaces
{
    private CalibrationFaces(List<RgbImage> faces, List<(string Folder, int Faces, string Fingerprint)> sets)
    {
        Faces = faces;
        Sets = sets;
    }

    public IReadOnlyList<RgbImage> Faces { get; }
    public IReadOnlyList<(string Folder, int Faces, string Fingerprint)> Sets { get; }

    public static CalibrationFaces Load(IReadOnlyList<string> folders, DetectorSpec spec)
    {
        var faces = new List<RgbImage>();
        var sets = new List<(string, int, string)>();
        foreach (string folder in folders)
        {
            var set = FaceSet.Open(folder);
            // fakes: true only makes landmarks optional; nothing is self-blended here.
            var loaded = DetectorFaceLoader.Load(set, spec, fakes: true);
            faces.AddRange(loaded.Select(f => f.Image));
            sets.Add((set.Folder, loaded.Count, set.Fingerprint));
        }
        return new CalibrationFaces(faces, sets);
    }

    public string Describe() => string.Join(", ", Sets.Select(s => $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(s.Folder))} ({s.Faces})"));

    /// <summary>The model metadata's <c>calibration</c> text for a threshold set on these faces (it begins with <see cref="DetectorModel.NewPeopleCalibration"/>, which verdicts read).</summary>
    public string Calibration(double targetFpr) => FormattableString.Invariant(
        $"{DetectorModel.NewPeopleCalibration}, as extracted ({Faces.Count} faces in {Describe()}; the threshold is the lowest score that flags at most {targetFpr * 100:0.##}% of them)");

    /// <summary>The model metadata's <c>calibrationSets</c>: each set's path, face count and fingerprint.</summary>
    public JsonArray SetsJson() =>
        new([.. Sets.Select(c => (JsonNode)new JsonObject { ["path"] = c.Folder, ["faces"] = c.Faces, ["fingerprint"] = c.Fingerprint })]);
}
