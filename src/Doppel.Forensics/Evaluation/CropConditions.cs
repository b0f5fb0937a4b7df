using Doppel.Forensics.Compression;
using Doppel.Forensics.Model;
using Doppel.Media.Imaging;

namespace Doppel.Forensics.Evaluation;

/// <summary>
/// Scores real and fake detector inputs as they are and after an H.264 round trip of the crops at
/// each CRF (reals and fakes coded alike, in runs of 120 keyframes), giving one
/// <see cref="ConditionFigures"/> per condition.
/// </summary>
public static class CropConditions
{
    public static IReadOnlyList<ConditionFigures> Figures(DetectorModel model, IReadOnlyList<RgbImage> reals, IReadOnlyList<RgbImage> fakes, IReadOnlyList<int> crfs)
    {
        var results = new List<ConditionFigures> { Score("raw", reals, fakes, model) };
        foreach (int crf in crfs) results.Add(Score($"H.264 CRF {crf}", Compress(reals, crf), Compress(fakes, crf), model));
        return results;
    }

    private static ConditionFigures Score(string condition, IReadOnlyList<RgbImage> reals, IReadOnlyList<RgbImage> fakes, DetectorModel model) =>
        ConditionFigures.Of(condition, FaceScorer.Score(model, reals).Select(s => s.Score).ToList(),
            FaceScorer.Score(model, fakes).Select(s => s.Score).ToList(), model.Threshold);

    private static List<RgbImage> Compress(IReadOnlyList<RgbImage> images, int crf)
    {
        var result = new List<RgbImage>(images.Count);
        for (int i = 0; i < images.Count; i += 120) result.AddRange(H264RoundTrip.Apply(images.Skip(i).Take(120).ToList(), crf));
        return result;
    }
}
