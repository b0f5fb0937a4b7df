using Doppel.Faces.Detection;
using Doppel.Media.Imaging;

namespace Doppel.Forensics.Detection;

/// <summary>One scored face in one frame: when (frame number, seconds), where (box in frame pixels), its score, and for reports the detector's input picture and blend heatmap.</summary>
public sealed record FaceObservation(long Frame, double Seconds, DetectionBox Box, float Score, RgbImage? Picture, float[]? Heatmap);
