namespace Doppel.Tensors.Tests.Support;

/// <summary>
/// Scalar reference loops in double for the convolution family (grouped and transposed
/// convolution, upsampling, max pooling, reflection padding), written from the definitions and
/// sharing no code with the engine. Images NHWC; shapes are passed explicitly.
/// </summary>
internal static class ConvFamilyReference
{
    /// <summary>
    /// Grouped convolution: x (N,H,W,C), w (O,KH,KW,C/groups), b (O) or null -> (N,OH,OW,O).
    /// Output channel o belongs to group o / (O/groups) and reads that group's C/groups inputs.
    /// </summary>
    public static double[] Conv2d(float[] x, int n, int h, int w, int c, float[] wt, int o, int kh, int kw, float[]? b,
        (int H, int W) stride, (int H, int W) pad, int groups, out int oh, out int ow)
    {
        oh = (h + 2 * pad.H - kh) / stride.H + 1;
        ow = (w + 2 * pad.W - kw) / stride.W + 1;
        int cg = c / groups, og = o / groups;
        var y = new double[n * oh * ow * o];
        for (int bi = 0; bi < n; bi++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int oc = 0; oc < o; oc++)
                    {
                        int group = oc / og;
                        double sum = b?[oc] ?? 0;
                        for (int ky = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int iy = oy * stride.H - pad.H + ky, ix = ox * stride.W - pad.W + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                for (int ci = 0; ci < cg; ci++)
                                    sum += (double)x[((bi * h + iy) * w + ix) * c + group * cg + ci] * wt[((oc * kh + ky) * kw + kx) * cg + ci];
                            }
                        y[((bi * oh + oy) * ow + ox) * o + oc] = sum;
                    }
        return y;
    }

    /// <summary>
    /// Transposed convolution by its definition as a scatter: input pixel (iy, ix) adds
    /// x[iy, ix, ci] * w[ci, ky, kx, co] to output pixel (iy*s - p + ky, ix*s - p + kx), channel co;
    /// outputs beyond the (H-1)*s - 2p + K + outputPadding grid are dropped. w (C_in, KH, KW, C_out).
    /// </summary>
    public static double[] ConvTranspose2d(float[] x, int n, int h, int w, int cin, float[] wt, int kh, int kw, int cout, float[]? b,
        (int H, int W) stride, (int H, int W) pad, (int H, int W) outPad, out int oh, out int ow)
    {
        oh = (h - 1) * stride.H - 2 * pad.H + kh + outPad.H;
        ow = (w - 1) * stride.W - 2 * pad.W + kw + outPad.W;
        var y = new double[n * oh * ow * cout];
        for (int bi = 0; bi < n; bi++)
        {
            for (int p = 0; p < oh * ow; p++)
                for (int co = 0; co < cout; co++) y[(bi * oh * ow + p) * cout + co] = b?[co] ?? 0;
            for (int iy = 0; iy < h; iy++)
                for (int ix = 0; ix < w; ix++)
                    for (int ky = 0; ky < kh; ky++)
                        for (int kx = 0; kx < kw; kx++)
                        {
                            int oy = iy * stride.H - pad.H + ky, ox = ix * stride.W - pad.W + kx;
                            if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
                            for (int ci = 0; ci < cin; ci++)
                                for (int co = 0; co < cout; co++)
                                    y[((bi * oh + oy) * ow + ox) * cout + co] += (double)x[((bi * h + iy) * w + ix) * cin + ci] * wt[((ci * kh + ky) * kw + kx) * cout + co];
                        }
        }
        return y;
    }

    /// <summary>Nearest: output pixel (oy, ox) copies input pixel (oy / fh, ox / fw).</summary>
    public static double[] UpsampleNearest(float[] x, int n, int h, int w, int c, int fh, int fw)
    {
        int oh = h * fh, ow = w * fw;
        var y = new double[n * oh * ow * c];
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++)
                        y[((b * oh + oy) * ow + ox) * c + ch] = x[((b * h + oy / fh) * w + ox / fw) * c + ch];
        return y;
    }

    /// <summary>
    /// Bilinear, align_corners=False: output coordinate o samples the input at (o + 0.5) / f - 0.5
    /// (clamped to [0, size - 1]), interpolating linearly between the two neighbouring pixels.
    /// </summary>
    public static double[] UpsampleBilinear(float[] x, int n, int h, int w, int c, int fh, int fw)
    {
        int oh = h * fh, ow = w * fw;
        var y = new double[n * oh * ow * c];
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    double sy = Math.Clamp((oy + 0.5) / fh - 0.5, 0, h - 1), sx = Math.Clamp((ox + 0.5) / fw - 0.5, 0, w - 1);
                    int y0 = (int)Math.Floor(sy), x0 = (int)Math.Floor(sx);
                    int y1 = Math.Min(y0 + 1, h - 1), x1 = Math.Min(x0 + 1, w - 1);
                    double ty = sy - y0, tx = sx - x0;
                    for (int ch = 0; ch < c; ch++)
                    {
                        double At(int yy, int xx) => x[((b * h + yy) * w + xx) * c + ch];
                        y[((b * oh + oy) * ow + ox) * c + ch] =
                            (1 - ty) * ((1 - tx) * At(y0, x0) + tx * At(y0, x1)) + ty * ((1 - tx) * At(y1, x0) + tx * At(y1, x1));
                    }
                }
        return y;
    }

    /// <summary>Max over each window, positions outside the image ignored.</summary>
    public static double[] MaxPool2d(float[] x, int n, int h, int w, int c, (int H, int W) k, (int H, int W) s, (int H, int W) p, out int oh, out int ow)
    {
        oh = (h + 2 * p.H - k.H) / s.H + 1;
        ow = (w + 2 * p.W - k.W) / s.W + 1;
        var y = new double[n * oh * ow * c];
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        double max = double.NegativeInfinity;
                        for (int ky = 0; ky < k.H; ky++)
                            for (int kx = 0; kx < k.W; kx++)
                            {
                                int iy = oy * s.H - p.H + ky, ix = ox * s.W - p.W + kx;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) max = Math.Max(max, x[((b * h + iy) * w + ix) * c + ch]);
                            }
                        y[((b * oh + oy) * ow + ox) * c + ch] = max;
                    }
        return y;
    }

    /// <summary>Reflection padding: coordinate -k reads k, coordinate size - 1 + k reads size - 1 - k.</summary>
    public static double[] ReflectionPad2d(float[] x, int n, int h, int w, int c, int left, int right, int top, int bottom)
    {
        int oh = h + top + bottom, ow = w + left + right;
        static int Reflect(int i, int size) => i < 0 ? -i : i >= size ? 2 * (size - 1) - i : i;
        var y = new double[n * oh * ow * c];
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++)
                        y[((b * oh + oy) * ow + ox) * c + ch] = x[((b * h + Reflect(oy - top, h)) * w + Reflect(ox - left, w)) * c + ch];
        return y;
    }
}
