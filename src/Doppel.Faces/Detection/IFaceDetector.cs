using Doppel.Media.Imaging;

namespace Doppel.Faces.Detection;

/// <summary>
/// A face detector: one frame in, every face found out, strongest first, in source pixels.
/// Implementations hold native sessions, hence IDisposable; Detect may be called from several
/// threads at once. A new detector is one class implementing this plus one line in
/// <see cref="FaceDetectorRegistry"/>.
/// </summary>
public interface IFaceDetector : IDisposable
{
    /// <summary>The registry name, e.g. "blazeface".</summary>
    string Name { get; }

    /// <summary>The faces in the whole frame, at the detector's own input size.</summary>
    IReadOnlyList<FaceDetection> Detect(RgbImage image);

    /// <summary>
    /// The faces <paramref name="search"/> asks for; detectors without a finer search answer as
    /// <see cref="Detect(RgbImage)"/> does.
    /// </summary>
    IReadOnlyList<FaceDetection> Detect(RgbImage image, FaceSearch search) => Detect(image);
}
