using Doppel.Tensors.Nn;

namespace Doppel.Datasets.Augmentation;

/// <summary>
/// The face-swap random warp: a 5x5 grid of control points spread edge to edge over the face,
/// each moved by a Gaussian offset, bilinearly interpolated to one offset per pixel, then the
/// image is resampled through that dense map. Only the network's input is warped; the target
/// stays as it was, so the decoder learns to draw a plausible face rather than to copy pixels.
/// </summary>
public static class RandomWarp
{
    public const int GridSize = 5;

    /// <summary>Control offsets in pixels: [0..24] x-offsets then [25..49] y-offsets, row-major over the grid.</summary>
    public static float[] ControlOffsets(Rng rng, double sigmaPixels)
    {
        var offsets = new float[2 * GridSize * GridSize];
        if (sigmaPixels <= 0) return offsets;
        for (int i = 0; i < offsets.Length; i++) offsets[i] = (float)(rng.Normal() * sigmaPixels);
        return offsets;
    }

    /// <summary>
    /// Resamples <paramref name="source"/> (size x size x channels, interleaved) into
    /// <paramref name="destination"/>: output pixel (x, y) reads source (x + dx, y + dy), with the
    /// offsets interpolated from the control grid and edges replicated. Zero offsets copy exactly.
    /// </summary>
    public static void Apply(ReadOnlySpan<float> source, Span<float> destination, int size, int channels, ReadOnlySpan<float> offsets)
    {
        if (size < 2 || source.Length != size * size * channels || destination.Length != source.Length)
            throw new ArgumentException("source and destination must be size x size x channels, size at least 2");
        int cells = GridSize - 1;
        float toGrid = size > 1 ? (float)cells / (size - 1) : 0f;
        var dxRow = new float[size];
        var dyRow = new float[size];
        for (int y = 0; y < size; y++)
        {
            InterpolateRow(offsets, y * toGrid, toGrid, dxRow, dyRow);
            for (int x = 0; x < size; x++)
            {
                float sx = Math.Clamp(x + dxRow[x], 0f, size - 1), sy = Math.Clamp(y + dyRow[x], 0f, size - 1);
                // At the last row or column x1 = x0 and the weight is 0, so integer positions copy exactly.
                int x0 = (int)sx, y0 = (int)sy;
                int x1 = Math.Min(x0 + 1, size - 1), y1 = Math.Min(y0 + 1, size - 1);
                float fx = sx - x0, fy = sy - y0;
                int o = (y * size + x) * channels;
                int p00 = (y0 * size + x0) * channels, p01 = (y0 * size + x1) * channels;
                int p10 = (y1 * size + x0) * channels, p11 = (y1 * size + x1) * channels;
                for (int c = 0; c < channels; c++)
                {
                    float top = source[p00 + c] + fx * (source[p01 + c] - source[p00 + c]);
                    float bottom = source[p10 + c] + fx * (source[p11 + c] - source[p10 + c]);
                    destination[o + c] = top + fy * (bottom - top);
                }
            }
        }
    }

    // One output row's offsets: bilinear in the grid cell containing each pixel.
    private static void InterpolateRow(ReadOnlySpan<float> offsets, float gy, float toGrid, Span<float> dx, Span<float> dy)
    {
        int cells = GridSize - 1, n = GridSize * GridSize;
        int r0 = Math.Min((int)gy, cells - 1);
        float fy = gy - r0;
        for (int x = 0; x < dx.Length; x++)
        {
            float gx = x * toGrid;
            int c0 = Math.Min((int)gx, cells - 1);
            float fx = gx - c0;
            int i00 = r0 * GridSize + c0, i01 = i00 + 1, i10 = i00 + GridSize, i11 = i10 + 1;
            dx[x] = Bilerp(offsets[i00], offsets[i01], offsets[i10], offsets[i11], fx, fy);
            dy[x] = Bilerp(offsets[n + i00], offsets[n + i01], offsets[n + i10], offsets[n + i11], fx, fy);
        }
    }

    private static float Bilerp(float a, float b, float c, float d, float fx, float fy)
    {
        float top = a + fx * (b - a), bottom = c + fx * (d - c);
        return top + fy * (bottom - top);
    }
}
