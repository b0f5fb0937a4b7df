namespace Doppel.Forensics.Training;

/// <summary>
/// Face X-ray's target from blend weights m (the share of the pasted face per pixel):
/// B = 4 m (1 - m), 1 where the two faces mix half and half (the seam) and 0 where either is
/// alone, averaged over blocks down to the mask head's size. A real face's target is all 0.
/// </summary>
public static class BoundaryTarget
{
    public static void Write(ReadOnlySpan<float> weights, int size, int maskSize, Span<float> target)
    {
        int block = size / maskSize;
        float norm = 1f / (block * block);
        for (int my = 0; my < maskSize; my++)
            for (int mx = 0; mx < maskSize; mx++)
            {
                float sum = 0;
                for (int y = my * block; y < (my + 1) * block; y++)
                    for (int x = mx * block; x < (mx + 1) * block; x++)
                    {
                        float m = weights[y * size + x];
                        sum += 4 * m * (1 - m);
                    }
                target[my * maskSize + mx] = sum * norm;
            }
    }
}
