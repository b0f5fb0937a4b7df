using Doppel.Media.Imaging;

namespace Doppel.Swap.Convert.Blend;

/// <summary>Alpha blending through the feathered mask: frame = a * face + (1 - a) * frame, in 8-bit fixed point.</summary>
public sealed class FeatherBlender : IBlender
{
    public void Blend(RgbImage frame, FacePatch patch)
    {
        int w = patch.Face.Width, h = patch.Face.Height;
        for (int y = 0; y < h; y++)
        {
            Span<byte> row = frame.Row(patch.Y + y).Slice(patch.X * 3, w * 3);
            ReadOnlySpan<byte> face = patch.Face.Row(y);
            ReadOnlySpan<byte> alpha = patch.Alpha.Row(y);
            for (int x = 0; x < w; x++)
            {
                int a = alpha[x];
                if (a == 0) continue;
                for (int c = 0; c < 3; c++)
                {
                    int i = x * 3 + c;
                    row[i] = (byte)((face[i] * a + row[i] * (255 - a) + 127) / 255);
                }
            }
        }
    }
}
