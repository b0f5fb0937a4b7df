using Doppel.Forensics.Evaluation;
using Doppel.Forensics.Model;
using Doppel.Forensics.SelfBlend;
using Doppel.Media.Imaging;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.Training;

/// <summary>Held-out figures: AUC of self-blends against their reals, accuracy at 0.5, fakes caught at 1% and 5% of reals flagged.</summary>
public sealed record ValidationFigures(double Auc, double Accuracy, double DetectionAt1, double DetectionAt5, int Reals, int Fakes);

/// <summary>
/// The held-out faces of a run: the real faces as they are (what the threshold is calibrated on,
/// since detect sees faces as they are) and a fixed self-blended pair for each (made once, from
/// the run's seed, with the same changes as training pairs), for AUC and detection rates that
/// compare across iterations. At most <see cref="MaxFaces"/>, taken evenly, to keep previews quick.
/// </summary>
public sealed class DetectorValidation
{
    public const int MaxFaces = 400;

    public DetectorValidation(IReadOnlyList<DetectorFace> faces, ulong seed, SelfBlendOptions? blend = null)
    {
        var picked = faces.Count <= MaxFaces ? faces : Enumerable.Range(0, MaxFaces).Select(i => faces[(int)((long)i * faces.Count / MaxFaces)]).ToList();
        Reals = picked.Select(f => f.Image).ToList();
        var generator = new SelfBlendGenerator(blend);
        var pairs = picked.Select((f, i) => generator.Make(f.Image, f.Landmarks!, new Rng(seed * 7919 + (ulong)i + 1))).ToList();
        PairReals = pairs.Select(p => p.Real).ToList();
        PairFakes = pairs.Select(p => p.Fake).ToList();
        PairWeights = pairs.Select(p => p.Weights).ToList();
    }

    public IReadOnlyList<RgbImage> Reals { get; }
    public IReadOnlyList<RgbImage> PairReals { get; }
    public IReadOnlyList<RgbImage> PairFakes { get; }
    public IReadOnlyList<float[]> PairWeights { get; }

    public ValidationFigures Evaluate(FakeDetectorNet net)
    {
        if (PairReals.Count == 0) return new ValidationFigures(double.NaN, double.NaN, double.NaN, double.NaN, 0, 0);
        var reals = FaceScorer.Score(net, PairReals).Select(s => s.Score).ToList();
        var fakes = FaceScorer.Score(net, PairFakes).Select(s => s.Score).ToList();
        return new ValidationFigures(RocMetrics.Auc(reals, fakes), RocMetrics.Accuracy(reals, fakes, 0.5f),
            RocMetrics.DetectionAtFpr(reals, fakes, 0.01), RocMetrics.DetectionAtFpr(reals, fakes, 0.05), reals.Count, fakes.Count);
    }
}
