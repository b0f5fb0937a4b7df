using System.Numerics;
using Doppel.Faces.Detection;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;

namespace Doppel.Faces.Extraction;

/// <summary>
/// One face of one frame: the detection (box [x, y, w, h] and score in source pixels), the 68
/// landmarks in source pixels, the alignment <see cref="Matrix"/> (source pixel -> crop pixel)
/// and the aligned crop (null when the extractor was told not to make crops).
/// </summary>
public sealed record ExtractedFace(FaceDetection Detection, Vector2[] Landmarks, AffineMatrix Matrix, RgbImage? Crop);
