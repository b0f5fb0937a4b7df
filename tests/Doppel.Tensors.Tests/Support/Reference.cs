namespace Doppel.Tensors.Tests.Support;

/// <summary>
/// Scalar reference implementations in double, written from the definitions and sharing no code
/// with the engine: the fast kernels are checked against these.
/// </summary>
internal static class Reference
{
    /// <summary>Direct convolution: x (N,H,W,C), w (O,KH,KW,C), b (O) or null -> (N,OH,OW,O).</summary>
    public static double[] Conv2d(float[] x, int n, int h, int w, int c, float[] wt, int o, int kh, int kw, float[]? b, int stride, int pad, out int oh, out int ow)
    {
        oh = (h + 2 * pad - kh) / stride + 1;
        ow = (w + 2 * pad - kw) / stride + 1;
        var y = new double[n * oh * ow * o];
        for (int bi = 0; bi < n; bi++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int oc = 0; oc < o; oc++)
                    {
                        double sum = b?[oc] ?? 0;
                        for (int ky = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                for (int ci = 0; ci < c; ci++)
                                    sum += (double)x[((bi * h + iy) * w + ix) * c + ci] * wt[((oc * kh + ky) * kw + kx) * c + ci];
                            }
                        y[((bi * oh + oy) * ow + ox) * o + oc] = sum;
                    }
        return y;
    }

    /// <summary>
    /// PyTorch's pixel_shuffle, written in NCHW index terms: out[n, c, h*r + i, w*r + j] =
    /// in[n, c*r*r + i*r + j, h, w], then both tensors stored NHWC.
    /// </summary>
    public static double[] PixelShuffle(float[] x, int n, int h, int w, int cIn, int r)
    {
        int c = cIn / (r * r), oh = h * r, ow = w * r;
        var y = new double[n * oh * ow * c];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < c; oc++)
                for (int yy = 0; yy < oh; yy++)
                    for (int xx = 0; xx < ow; xx++)
                    {
                        int hIn = yy / r, i = yy % r, wIn = xx / r, j = xx % r;
                        int channelIn = oc * r * r + i * r + j;
                        y[((b * oh + yy) * ow + xx) * c + oc] = x[((b * h + hIn) * w + wIn) * cIn + channelIn];
                    }
        return y;
    }

    public static double[] AvgPool2d(float[] x, int n, int h, int w, int c, int k, int stride)
    {
        int oh = (h - k) / stride + 1, ow = (w - k) / stride + 1;
        var y = new double[n * oh * ow * c];
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        double sum = 0;
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                                sum += x[((b * h + oy * stride + ky) * w + ox * stride + kx) * c + ch];
                        y[((b * oh + oy) * ow + ox) * c + ch] = sum / (k * k);
                    }
        return y;
    }

    /// <summary>The 2-D Gaussian window g(dy) g(dx), normalised to sum 1.</summary>
    public static double[,] Gaussian2d(int size, double sigma)
    {
        var g = new double[size, size];
        double total = 0, centre = (size - 1) / 2.0;
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++)
            {
                double dy = i - centre, dx = j - centre;
                g[i, j] = Math.Exp(-(dy * dy + dx * dx) / (2 * sigma * sigma));
                total += g[i, j];
            }
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++) g[i, j] /= total;
        return g;
    }

    /// <summary>Valid 2-D correlation of each channel with the Gaussian window.</summary>
    public static double[] GaussianBlur(double[] x, int n, int h, int w, int c, int size, double sigma)
    {
        var g = Gaussian2d(size, sigma);
        int oh = h - size + 1, ow = w - size + 1;
        var y = new double[n * oh * ow * c];
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        double sum = 0;
                        for (int ky = 0; ky < size; ky++)
                            for (int kx = 0; kx < size; kx++)
                                sum += g[ky, kx] * x[((b * h + oy + ky) * w + ox + kx) * c + ch];
                        y[((b * oh + oy) * ow + ox) * c + ch] = sum;
                    }
        return y;
    }

    public static double[] ToDouble(float[] x) => x.Select(v => (double)v).ToArray();

    /// <summary>
    /// DSSIM = (1 - SSIM) / 2 computed window by window from the definition (Wang et al. 2004):
    /// Gaussian-weighted means, variances and covariance per output pixel and channel, C1 =
    /// 0.01^2, C2 = 0.03^2. With a weight (N,H,W,1 or C), SSIM is averaged with the blurred weight.
    /// </summary>
    public static double Dssim(float[] p, float[] t, int n, int h, int w, int c, float[]? weight = null, int weightChannels = 1, int size = 11, double sigma = 1.5)
    {
        const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
        var g = Gaussian2d(size, sigma);
        int oh = h - size + 1, ow = w - size + 1;
        double num = 0, den = 0;
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        double mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0, wsum = 0;
                        for (int ky = 0; ky < size; ky++)
                            for (int kx = 0; kx < size; kx++)
                            {
                                int pix = (b * h + oy + ky) * w + ox + kx, i = pix * c + ch;
                                double gw = g[ky, kx], a = p[i], z = t[i];
                                mx += gw * a; my += gw * z;
                                mxx += gw * a * a; myy += gw * z * z; mxy += gw * a * z;
                                if (weight is not null) wsum += gw * weight[pix * weightChannels + (weightChannels == 1 ? 0 : ch)];
                            }
                        double vx = mxx - mx * mx, vy = myy - my * my, cov = mxy - mx * my;
                        double ssim = (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                        double wt = weight is null ? 1 : wsum;
                        num += wt * ssim;
                        den += wt;
                    }
        return (1 - num / den) / 2;
    }
}
