using Doppel.Media.Imaging;

namespace Doppel.Swap.Convert.Blend;

/// <summary>
/// The swapped face warped back into frame pixels over its bounding box (X, Y, Face.Width x
/// Face.Height, inside the frame), with its feathered mask on the same grid (0 = keep the frame).
/// </summary>
public sealed record FacePatch(int X, int Y, RgbImage Face, GrayImage Alpha);

/// <summary>Paints a <see cref="FacePatch"/> into the frame. Pixels outside the patch box are never touched.</summary>
public interface IBlender
{
    void Blend(RgbImage frame, FacePatch patch);
}
