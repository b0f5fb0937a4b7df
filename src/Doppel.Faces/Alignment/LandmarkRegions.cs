namespace Doppel.Faces.Alignment;

/// <summary>
/// Index ranges of the 68-point iBUG 300-W layout that dlib's model uses (0-based, end
/// exclusive). "Right" is the subject's right, on the left of an unmirrored image.
/// </summary>
public static class LandmarkRegions
{
    public const int PointCount = 68;

    public static readonly Range Jaw = 0..17;
    public static readonly Range RightBrow = 17..22;
    public static readonly Range LeftBrow = 22..27;
    public static readonly Range NoseBridge = 27..31;
    public static readonly Range Nose = 27..36;
    public static readonly Range RightEye = 36..42;
    public static readonly Range LeftEye = 42..48;
    public static readonly Range OuterMouth = 48..60;
    public static readonly Range InnerMouth = 60..68;
    public static readonly Range Mouth = 48..68;

    /// <summary>
    /// The points alignment fits on: everything but the jaw (brows, nose, eyes, mouth; 51
    /// points), as faceswap does. The jawline is the least stable part of the 68: it moves with
    /// head yaw and expression (an open mouth drops the chin), and the predictor jitters most
    /// along it because the cheek-to-background edge is weak. The inner points are rigid with
    /// the skull, so fitting on them keeps the eyes and nose steady in the crop.
    /// </summary>
    public static readonly Range AlignmentPoints = 17..68;
}
