namespace Doppel.Faces.Detection;

/// <summary>
/// One face a detector found in a frame: its box in source pixels, the detector's confidence
/// in [0, 1], and the detector's own keypoints in source pixels (for BlazeFace six of them,
/// in the order of <see cref="BlazeFaceKeypoint"/>; other detectors may give none).
/// </summary>
public sealed record FaceDetection(DetectionBox Box, float Score, IReadOnlyList<DetectionPoint> Keypoints);

/// <summary>A point in continuous source-pixel coordinates (same convention as <see cref="DetectionBox"/>).</summary>
public readonly record struct DetectionPoint(double X, double Y);
