using System.Numerics;
using Doppel.Core;
using Doppel.Faces.Alignment;
using Doppel.Faces.Detection;
using Doppel.Faces.Landmarks;
using Doppel.Media.Imaging;

namespace Doppel.Faces.Extraction;

/// <summary>The timed parts of <see cref="FaceExtractor.Extract"/>: finding faces, then landmarks, alignment (and crops when made).</summary>
public enum ExtractStage { Detect, Landmarks }

/// <summary>
/// The per-frame face pipeline shared by <c>doppel extract</c>, <c>doppel convert</c> and
/// <c>doppel bench extract</c>: detect -> filter (score, size, largest or all) -> 68 landmarks
/// -> similarity onto the mean face -> aligned crop. Thread-safe: the detector and predictor
/// are, and the rest is stateless, so callers may run frames in parallel. Owns the detector it
/// creates (disposed with the extractor); a detector passed in stays the caller's.
/// </summary>
public sealed class FaceExtractor : IDisposable
{
    private readonly IFaceDetector _detector;
    private readonly bool _ownsDetector;
    private readonly LandmarkPredictor _predictor;

    /// <param name="options">Null for <see cref="FaceExtractorOptions.Default"/>.</param>
    /// <param name="detector">A detector to use instead of creating <see cref="FaceExtractorOptions.Detector"/>.</param>
    /// <param name="predictor">A loaded predictor to share; loaded from Debian's libdlib-data file when null.</param>
    public FaceExtractor(FaceExtractorOptions? options = null, IFaceDetector? detector = null, LandmarkPredictor? predictor = null)
    {
        Options = options ?? FaceExtractorOptions.Default;
        Options.Validate();
        Aligner = new FaceAligner(MeanFace.Template, Options.Crop);
        // Models first, so a missing package is reported before any frame is decoded.
        _predictor = predictor ?? LandmarkPredictor.Load();
        _ownsDetector = detector is null;
        _detector = detector ?? FaceDetectorRegistry.Create(Options.Detector, new FaceDetectorSettings { MinScore = Options.MinScore });
    }

    public FaceExtractorOptions Options { get; }
    public FaceAligner Aligner { get; }
    public string DetectorName => _detector.Name;

    /// <summary>The faces of one frame (largest first), each with landmarks, matrix and crop; empty when none pass.</summary>
    /// <param name="times">Where to add the time spent detecting and placing landmarks (convert's per-stage report); null when nobody asks.</param>
    /// <param name="photo">Whether the frame is a photo (searched at every scale, see <see cref="SearchFor"/>).</param>
    public IReadOnlyList<ExtractedFace> Extract(RgbImage frame, StageTimes<ExtractStage>? times = null, bool photo = false) =>
        Extract(frame, SearchFor(photo), times);

    /// <summary>The faces of one frame found by the given search (for callers whose search differs from <see cref="SearchFor"/>'s, as detect's photos do).</summary>
    public IReadOnlyList<ExtractedFace> Extract(RgbImage frame, FaceSearch search, StageTimes<ExtractStage>? times = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        long started = StageTimes<ExtractStage>.Now;
        var detections = Select(_detector.Detect(frame, search));
        started = times?.AddSince(ExtractStage.Detect, started) ?? started;
        if (detections.Count == 0) return [];
        var image = LandmarkImage.Of(frame);
        var faces = new List<ExtractedFace>(detections.Count);
        foreach (FaceDetection detection in detections)
        {
            Vector2[] landmarks = _predictor.Predict(image, LandmarkBox.For(detection.Box));
            var matrix = Aligner.Align(landmarks);
            faces.Add(new ExtractedFace(detection, landmarks, matrix, Options.MakeCrops ? Aligner.Crop(frame, matrix) : null));
        }
        times?.AddSince(ExtractStage.Landmarks, started);
        return faces;
    }

    /// <summary>
    /// How hard to look. A photo is searched at every scale down to
    /// <see cref="FaceExtractorOptions.MinSize"/> (docs/detection.md): a group photo's small faces
    /// are invisible to the network at its input size. A video frame gets the whole-frame search
    /// whatever <see cref="FaceExtractorOptions.Faces"/> says: the faces worth swapping or judging
    /// in footage are large, and tiling every frame would make video many times slower.
    /// </summary>
    public FaceSearch SearchFor(bool photo) =>
        photo ? FaceSearch.EveryScale(Options.MinSize, allFaces: Options.Faces == FaceSelection.All) : FaceSearch.WholeFrame;

    /// <summary>Score and size filters, then largest-first order, then "largest" keeps one.</summary>
    internal List<FaceDetection> Select(IReadOnlyList<FaceDetection> detections)
    {
        var kept = detections
            .Where(d => d.Score >= Options.MinScore && d.Box.Width >= Options.MinSize && d.Box.Height >= Options.MinSize)
            .OrderByDescending(d => d.Box.Area)
            .ToList();
        if (Options.Faces == FaceSelection.Largest && kept.Count > 1) kept.RemoveRange(1, kept.Count - 1);
        return kept;
    }

    public void Dispose()
    {
        if (_ownsDetector) _detector.Dispose();
    }
}
