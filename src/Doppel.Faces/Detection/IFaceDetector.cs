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

    IReadOnlyList<FaceDetection> Detect(RgbImage image);
}
