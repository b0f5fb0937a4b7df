using Doppel.Media.Imaging;

namespace Doppel.Swap.Convert.Masks;

/// <summary>Separable filters on 8-bit masks: square erosion/dilation, box blur, edge taper.</summary>
public static class MaskFilters
{
    /// <summary>Erodes (<paramref name="shrink"/>: minimum) or dilates (maximum) with a (2r+1)^2 square, rows then columns.</summary>
    public static void MinMax(GrayImage mask, int radius, bool shrink)
    {
        int w = mask.Width, h = mask.Height;
        var line = new byte[Math.Max(w, h)];
        var result = new byte[Math.Max(w, h)];
        for (int y = 0; y < h; y++) Line(mask.Data, y * w, 1, w, radius, shrink, line, result);
        for (int x = 0; x < w; x++) Line(mask.Data, x, w, h, radius, shrink, line, result);
    }

    /// <summary>A (2r+1)-wide box blur, rows then columns, with a running sum; edges clamp.</summary>
    public static void BoxBlur(GrayImage mask, int radius)
    {
        int w = mask.Width, h = mask.Height;
        var line = new byte[Math.Max(w, h)];
        for (int y = 0; y < h; y++) BlurLine(mask.Data, y * w, 1, w, radius, line);
        for (int x = 0; x < w; x++) BlurLine(mask.Data, x, w, h, radius, line);
    }

    /// <summary>Multiplies by a ramp that is 0 on the outermost pixels and 1 from <paramref name="width"/> pixels in.</summary>
    public static void TaperEdges(GrayImage mask, int width)
    {
        int w = mask.Width, h = mask.Height;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int d = Math.Min(Math.Min(x, y), Math.Min(w - 1 - x, h - 1 - y));
                if (d >= width) continue;
                int i = y * w + x;
                mask.Data[i] = (byte)(mask.Data[i] * d / width);
            }
        }
    }

    private static void Line(byte[] data, int start, int step, int n, int r, bool shrink, byte[] line, byte[] result)
    {
        for (int i = 0; i < n; i++) line[i] = data[start + i * step];
        // O(n r) is fine here: masks are a few hundred pixels and r a few percent of that.
        for (int i = 0; i < n; i++)
        {
            int lo = Math.Max(0, i - r), hi = Math.Min(n - 1, i + r);
            byte v = line[lo];
            for (int j = lo + 1; j <= hi; j++) v = shrink ? Math.Min(v, line[j]) : Math.Max(v, line[j]);
            // Outside the square counts as empty, so erosion also eats in from the edges.
            if (shrink && (i - r < 0 || i + r > n - 1)) v = 0;
            result[i] = v;
        }
        for (int i = 0; i < n; i++) data[start + i * step] = result[i];
    }

    private static void BlurLine(byte[] data, int start, int step, int n, int r, byte[] line)
    {
        for (int i = 0; i < n; i++) line[i] = data[start + i * step];
        int sum = 0, width = 2 * r + 1;
        for (int j = -r; j <= r; j++) sum += line[Math.Clamp(j, 0, n - 1)];
        for (int i = 0; i < n; i++)
        {
            data[start + i * step] = (byte)((sum + width / 2) / width);
            sum += line[Math.Min(n - 1, i + r + 1)] - line[Math.Max(0, i - r)];
        }
    }
}
