namespace Doppel.Faces.Detection;

/// <summary>
/// BlazeFace's six keypoints, in its output order. "Right" is the subject's right, which is
/// on the left of an unmirrored image.
/// </summary>
public enum BlazeFaceKeypoint
{
    RightEye = 0,
    LeftEye = 1,
    NoseTip = 2,
    MouthCenter = 3,
    RightEarTragion = 4,
    LeftEarTragion = 5,
}
