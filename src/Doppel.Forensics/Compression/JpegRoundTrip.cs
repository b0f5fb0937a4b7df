using Doppel.Media.Imaging;

namespace Doppel.Forensics.Compression;

/// <summary>
/// What baseline JPEG does to pixels, in process: RGB to YCbCr (JFIF), chroma averaged 2x2
/// (4:2:0), 8x8 DCT, quantisation with the standard tables of ITU-T T.81 Annex K scaled by the
/// IJG quality rule, dequantisation, inverse DCT, chroma upsampled with the triangle filter
/// (libjpeg's "fancy" upsampling) and back to RGB. Entropy coding is lossless and left out, so
/// the result carries JPEG's blocking, ringing and colour bleeding without an encoder process:
/// the trainer compresses thousands of faces a minute (an ffmpeg call per face would cost more
/// than the network step). Not bit-exact with libjpeg (float DCT, no integer rounding of its
/// IDCT), which a training augmentation does not need.
/// </summary>
public static class JpegRoundTrip
{
    private static readonly int[] LumaTable =
    [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    private static readonly int[] ChromaTable =
    [
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    ];

    // Cos[u * 8 + x] = a(u) cos((2x + 1) u pi / 16): the orthonormal 8-point DCT-II basis.
    private static readonly float[] Cos = MakeBasis();

    /// <summary>The image after a JPEG encode and decode at <paramref name="quality"/> (1..100, IJG scale).</summary>
    public static RgbImage Apply(RgbImage image, int quality)
    {
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), $"JPEG quality must be 1..100, got {quality}");
        int w = image.Width, h = image.Height;
        int pw = (w + 15) / 16 * 16, ph = (h + 15) / 16 * 16, cw = pw / 2, ch = ph / 2;
        var y = new float[pw * ph];
        var cb = new float[cw * ch];
        var cr = new float[cw * ch];
        ToYCbCr(image, pw, ph, y, cb, cr);
        float[] lq = Scaled(LumaTable, quality), cq = Scaled(ChromaTable, quality);
        Quantise(y, pw, ph, lq);
        Quantise(cb, cw, ch, cq);
        Quantise(cr, cw, ch, cq);
        return ToRgb(w, h, pw, y, cw, ch, cb, cr);
    }

    /// <summary>IJG's rule: quality 50 is the table, lower scales it up (5000 / q %), higher down (200 - 2q %), each entry 1..255.</summary>
    internal static float[] Scaled(int[] table, int quality)
    {
        int scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
        var q = new float[64];
        for (int i = 0; i < 64; i++) q[i] = Math.Clamp((table[i] * scale + 50) / 100, 1, 255);
        return q;
    }

    private static void ToYCbCr(RgbImage image, int pw, int ph, float[] y, float[] cb, float[] cr)
    {
        int w = image.Width, h = image.Height, cw = pw / 2;
        byte[] d = image.Data;
        var cbFull = new float[pw * ph];
        var crFull = new float[pw * ph];
        for (int row = 0; row < ph; row++)
            for (int col = 0; col < pw; col++)
            {
                int i = (Math.Min(row, h - 1) * w + Math.Min(col, w - 1)) * 3, o = row * pw + col; // edges replicated into the padding
                float r = d[i], g = d[i + 1], b = d[i + 2];
                y[o] = 0.299f * r + 0.587f * g + 0.114f * b - 128f;
                cbFull[o] = -0.168736f * r - 0.331264f * g + 0.5f * b;
                crFull[o] = 0.5f * r - 0.418688f * g - 0.081312f * b;
            }
        for (int row = 0; row < ph / 2; row++)
            for (int col = 0; col < cw; col++)
            {
                int a = 2 * row * pw + 2 * col;
                cb[row * cw + col] = (cbFull[a] + cbFull[a + 1] + cbFull[a + pw] + cbFull[a + pw + 1]) / 4;
                cr[row * cw + col] = (crFull[a] + crFull[a + 1] + crFull[a + pw] + crFull[a + pw + 1]) / 4;
            }
    }

    /// <summary>Every 8x8 block: DCT, round(F / Q) Q, inverse DCT, clamped to the 8-bit range (level-shifted).</summary>
    private static void Quantise(float[] plane, int width, int height, float[] q)
    {
        Span<float> block = stackalloc float[64], tmp = stackalloc float[64];
        for (int by = 0; by < height; by += 8)
            for (int bx = 0; bx < width; bx += 8)
            {
                for (int r = 0; r < 8; r++)
                    for (int c = 0; c < 8; c++) block[r * 8 + c] = plane[(by + r) * width + bx + c];
                Transform(block, tmp, inverse: false);
                for (int i = 0; i < 64; i++) block[i] = MathF.Round(block[i] / q[i]) * q[i];
                Transform(block, tmp, inverse: true);
                for (int r = 0; r < 8; r++)
                    for (int c = 0; c < 8; c++) plane[(by + r) * width + bx + c] = Math.Clamp(block[r * 8 + c], -128f, 127f);
            }
    }

    /// <summary>Forward F = C B C^T, inverse B = C^T F C, in place (tmp holds the half-way product).</summary>
    private static void Transform(Span<float> block, Span<float> tmp, bool inverse)
    {
        for (int u = 0; u < 8; u++)
            for (int x = 0; x < 8; x++)
            {
                float sum = 0;
                for (int k = 0; k < 8; k++) sum += (inverse ? Cos[k * 8 + u] : Cos[u * 8 + k]) * block[k * 8 + x];
                tmp[u * 8 + x] = sum;
            }
        for (int u = 0; u < 8; u++)
            for (int v = 0; v < 8; v++)
            {
                float sum = 0;
                for (int k = 0; k < 8; k++) sum += tmp[u * 8 + k] * (inverse ? Cos[k * 8 + v] : Cos[v * 8 + k]);
                block[u * 8 + v] = sum;
            }
    }

    private static RgbImage ToRgb(int w, int h, int pw, float[] y, int cw, int ch, float[] cb, float[] cr)
    {
        var result = new RgbImage(w, h);
        byte[] d = result.Data;
        for (int row = 0; row < h; row++)
        {
            // Chroma sample centres sit between luma pairs: luma row r reads chroma (r + 0.5) / 2 - 0.5.
            float sy = (row + 0.5f) / 2 - 0.5f;
            int y0 = (int)MathF.Floor(sy);
            float fy = sy - y0;
            int ya = Math.Clamp(y0, 0, ch - 1), yb = Math.Clamp(y0 + 1, 0, ch - 1);
            for (int col = 0; col < w; col++)
            {
                float sx = (col + 0.5f) / 2 - 0.5f;
                int x0 = (int)MathF.Floor(sx);
                float fx = sx - x0;
                int xa = Math.Clamp(x0, 0, cw - 1), xb = Math.Clamp(x0 + 1, 0, cw - 1);
                float b = Bilinear(cb, cw, xa, xb, ya, yb, fx, fy), r = Bilinear(cr, cw, xa, xb, ya, yb, fx, fy);
                float l = y[row * pw + col] + 128f;
                int o = (row * w + col) * 3;
                d[o] = Byte(l + 1.402f * r);
                d[o + 1] = Byte(l - 0.344136f * b - 0.714136f * r);
                d[o + 2] = Byte(l + 1.772f * b);
            }
        }
        return result;
    }

    private static float Bilinear(float[] p, int width, int xa, int xb, int ya, int yb, float fx, float fy) =>
        (p[ya * width + xa] * (1 - fx) + p[ya * width + xb] * fx) * (1 - fy) + (p[yb * width + xa] * (1 - fx) + p[yb * width + xb] * fx) * fy;

    private static byte Byte(float v) => v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)(v + 0.5f);

    private static float[] MakeBasis()
    {
        var c = new float[64];
        for (int u = 0; u < 8; u++)
            for (int x = 0; x < 8; x++)
                c[u * 8 + x] = (float)((u == 0 ? Math.Sqrt(1 / 8.0) : Math.Sqrt(2 / 8.0)) * Math.Cos((2 * x + 1) * u * Math.PI / 16));
        return c;
    }
}
