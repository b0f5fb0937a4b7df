using Doppel.Datasets.FaceSets;
using Doppel.Forensics.Model;
using Doppel.Forensics.Training;

namespace Doppel.Forensics.Evaluation;

/// <summary>
/// A detector on face sets from <c>doppel extract</c>: the faces of a real video or photos
/// against the faces of fakes (for example faces extracted from <c>doppel convert</c> outputs of
/// the same video), cut to the detector's input exactly as detect cuts them, raw and after H.264
/// at each CRF. Per face; quicker than re-reading whole videos, and any fake maker's output can be
/// measured once its faces are extracted.
/// </summary>
public static class FaceSetEvaluation
{
    public static IReadOnlyList<(string FakeSet, IReadOnlyList<ConditionFigures> Figures)> Run(
        DetectorModel model, string realSet, IReadOnlyList<string> fakeSets, IReadOnlyList<int> crfs)
    {
        var spec = model.Spec;
        // fakes: true only makes landmarks optional; nothing is self-blended here.
        var reals = DetectorFaceLoader.Load(FaceSet.Open(realSet), spec, fakes: true).Select(f => f.Image).ToList();
        var results = new List<(string, IReadOnlyList<ConditionFigures>)>();
        foreach (string fakeSet in fakeSets)
        {
            var fakes = DetectorFaceLoader.Load(FaceSet.Open(fakeSet), spec, fakes: true).Select(f => f.Image).ToList();
            results.Add((fakeSet, CropConditions.Figures(model, reals, fakes, crfs)));
        }
        return results;
    }
}
