namespace Doppel.Media.Geometry;

/// <summary>
/// The fixed-point bilinear kernel behind <see cref="AffineWarp"/>, compiled once per channel count.
/// Weights are fractions of 2048 per axis, so the four products sum to 2^22 and a weighted sum
/// of 8-bit values stays below 2^30: plain int arithmetic, rounded by adding 2^21 before the shift.
/// </summary>
internal static unsafe class AffineWarpKernel<TChannels> where TChannels : struct, IChannelCount
{
    private const int WeightBits = 11;
    private const int One = 1 << WeightBits;
    private const int Shift = 2 * WeightBits;
    private const int Half = 1 << (Shift - 1);

    /// <summary>Tests switch the AVX2 path off to compare it with the scalar one on the same input.</summary>
    internal static bool VectorEnabled = true;

    public static void Rows(PixelBuffer source, AffineMatrix m, PixelBuffer output, int rowStart, int rowEnd, BorderMode border, byte fill)
    {
        int ch = TChannels.Count;
        int sw = source.Width, sh = source.Height, srcStride = sw * ch;
        int ow = output.Width;
        // Interior test in doubles: both neighbours of the sample point must exist.
        double maxX = sw - 1, maxY = sh - 1;
        bool vector = ch == 3 && VectorEnabled && AffineWarpAvx2.IsSupported && AffineWarpAvx2.CanHandle(sw, sh);
        float a = (float)m.A, d = (float)m.D;
        fixed (byte* src = source.Data)
        fixed (byte* dst = output.Data)
        {
            for (int y = rowStart; y < rowEnd; y++)
            {
                double rowX = m.B * y + m.C, rowY = m.E * y + m.F;
                byte* o = dst + (long)y * ow * ch;
                for (int x = 0; x < ow; x++, o += ch)
                {
                    if (vector && x + 8 <= ow && AffineWarpAvx2.TryGroup(src, srcStride, (float)maxX, (float)maxY, a, d, (float)rowX, (float)rowY, x, o))
                    {
                        x += 7;
                        o += 7 * ch;
                        continue;
                    }
                    double sx = m.A * x + rowX, sy = m.D * x + rowY;
                    if (sx >= 0 && sy >= 0 && sx < maxX && sy < maxY)
                    {
                        int ix = (int)sx, iy = (int)sy;
                        int wx = (int)((sx - ix) * One + 0.5), wy = (int)((sy - iy) * One + 0.5);
                        int w11 = wx * wy, w10 = (wx << WeightBits) - w11, w01 = (wy << WeightBits) - w11;
                        int w00 = (One << WeightBits) - w10 - w01 - w11;
                        byte* p = src + (long)iy * srcStride + ix * ch;
                        byte* q = p + srcStride;
                        if (ch == 3)
                        {
                            // Spelled out: the JIT does not unroll the channel loop on its own.
                            o[0] = (byte)((p[0] * w00 + p[3] * w10 + q[0] * w01 + q[3] * w11 + Half) >> Shift);
                            o[1] = (byte)((p[1] * w00 + p[4] * w10 + q[1] * w01 + q[4] * w11 + Half) >> Shift);
                            o[2] = (byte)((p[2] * w00 + p[5] * w10 + q[2] * w01 + q[5] * w11 + Half) >> Shift);
                        }
                        else
                        {
                            for (int c = 0; c < ch; c++)
                                o[c] = (byte)((p[c] * w00 + p[c + ch] * w10 + q[c] * w01 + q[c + ch] * w11 + Half) >> Shift);
                        }
                    }
                    else
                    {
                        SampleAtBorder(src, sw, sh, sx, sy, o, border, fill);
                    }
                }
            }
        }
    }

    /// <summary>The slow path for points near or beyond the edges: each neighbour resolved by the border mode.</summary>
    private static void SampleAtBorder(byte* src, int sw, int sh, double sx, double sy, byte* o, BorderMode border, byte fill)
    {
        int ch = TChannels.Count;
        if (!WarpCoordinates.InRange(sx, sy))
        {
            (int fx, int fy) = WarpCoordinates.ClampFar(sx, sy);
            int xi = BorderIndex.Resolve(fx, sw, border), yi = BorderIndex.Resolve(fy, sh, border);
            for (int c = 0; c < ch; c++)
                o[c] = xi < 0 || yi < 0 ? fill : src[((long)yi * sw + xi) * ch + c];
            return;
        }
        double floorX = Math.Floor(sx), floorY = Math.Floor(sy);
        int x0 = (int)floorX, y0 = (int)floorY;
        int wx = (int)((sx - floorX) * One + 0.5), wy = (int)((sy - floorY) * One + 0.5);
        int w11 = wx * wy, w10 = (wx << WeightBits) - w11, w01 = (wy << WeightBits) - w11;
        int w00 = (One << WeightBits) - w10 - w01 - w11;
        int xa = BorderIndex.Resolve(x0, sw, border), xb = BorderIndex.Resolve(x0 + 1, sw, border);
        int ya = BorderIndex.Resolve(y0, sh, border), yb = BorderIndex.Resolve(y0 + 1, sh, border);
        for (int c = 0; c < ch; c++)
        {
            int v00 = Fetch(src, sw, xa, ya, c, fill), v10 = Fetch(src, sw, xb, ya, c, fill);
            int v01 = Fetch(src, sw, xa, yb, c, fill), v11 = Fetch(src, sw, xb, yb, c, fill);
            o[c] = (byte)((v00 * w00 + v10 * w10 + v01 * w01 + v11 * w11 + Half) >> Shift);
        }
    }

    private static int Fetch(byte* src, int sw, int x, int y, int c, byte fill) =>
        x < 0 || y < 0 ? fill : src[((long)y * sw + x) * TChannels.Count + c];
}
