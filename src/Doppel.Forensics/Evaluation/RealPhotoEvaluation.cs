using System.Globalization;
using Doppel.Faces.Extraction;
using Doppel.Forensics.Detection;
using Doppel.Forensics.Model;

namespace Doppel.Forensics.Evaluation;

/// <summary>
/// Real photos of people and cameras the detector never saw, run through detect's own pipeline
/// (find faces, crop, classify) face by face: how many real faces its threshold flags. A
/// threshold calibrated on held-out faces of the training videos says little about new people,
/// and photos are what newsrooms check most, so this is reported beside the video figures.
/// </summary>
public static class RealPhotoEvaluation
{
    public sealed record Result(IReadOnlyList<(string Photo, float Score)> Faces, int Photos, float Threshold)
    {
        /// <summary>Faces at or above the threshold: the rule a verdict uses (<see cref="VerdictRule"/>) and calibration counts by (<see cref="RocMetrics.RateAtOrAbove"/>).</summary>
        public int Flagged => Faces.Count(f => f.Score >= Threshold);
        public double FlaggedShare => Faces.Count == 0 ? double.NaN : (double)Flagged / Faces.Count;
        public double MedianScore => Faces.Count == 0 ? double.NaN : Median(Faces.Select(f => (double)f.Score));

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Faces.Count} faces in {Photos} photos: {Flagged} flagged at the threshold {Threshold:F4} ({100 * FlaggedShare:F1}%), median score {MedianScore:F3}");
    }

    public static Result Run(DetectorModel model, IReadOnlyList<string> photos, FaceExtractor? extractor = null)
    {
        using var detection = new FakeDetection(model, new DetectOptions(), extractor);
        var faces = new List<(string, float)>();
        foreach (string photo in photos)
        {
            var verdict = detection.Detect(photo, InputKind.Image);
            foreach (var track in verdict.Tracks)
                foreach (var face in track.Faces) faces.Add((Path.GetFileName(photo), face.Score));
        }
        return new Result(faces, photos.Count, model.Threshold);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
