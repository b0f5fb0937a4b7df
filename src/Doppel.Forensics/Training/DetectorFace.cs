using Doppel.Media.Imaging;

namespace Doppel.Forensics.Training;

/// <summary>
/// One face the detector trains or validates on, at the input size: the picture, its landmarks
/// in input pixels (null when the face set has none; self-blending needs them), where it came
/// from (source file and frame number, which the validation split groups by) and whether it is
/// a real fake given with <c>--fake</c>, and the index of the face set it was read from (training
/// draws each face set equally often).
/// </summary>
public sealed record DetectorFace(RgbImage Image, float[]? Landmarks, string Source, bool IsVideo, long Frame, bool IsFake, int Set = 0);
