namespace Doppel.Media.Geometry;

/// <summary>
/// Box-filter resampling: output pixel i on an axis covers source interval [i*s, (i+1)*s) with
/// s = source/output length, and takes each source pixel with weight (overlap / s). Separable:
/// rows are first reduced horizontally into floats, then output rows sum weighted reduced rows.
/// When an axis grows instead (s &lt; 1) the same formula degenerates to nearest-neighbour on it.
/// </summary>
internal static class AreaResampler
{
    /// <summary>For one output index: the first source index and the weights from there on.</summary>
    private readonly record struct Taps(int Start, float[] Weights);

    public static void Run(PixelBuffer source, PixelBuffer output)
    {
        int ch = source.Channels;
        Taps[] xTaps = BuildTaps(source.Width, output.Width);
        Taps[] yTaps = BuildTaps(source.Height, output.Height);
        int rowFloats = output.Width * ch;

        // (source.Height, output.Width, ch): every source row reduced horizontally.
        var reduced = new float[(long)source.Height * rowFloats];
        Parallel.For(0, source.Height, new ParallelOptions { MaxDegreeOfParallelism = ParallelismFor(source) }, sy =>
        {
            ReadOnlySpan<byte> row = source.Data.AsSpan(sy * source.Width * ch, source.Width * ch);
            Span<float> outRow = reduced.AsSpan(sy * rowFloats, rowFloats);
            for (int ox = 0; ox < xTaps.Length; ox++)
            {
                Taps t = xTaps[ox];
                float[] weights = t.Weights;
                if (ch == 3)
                {
                    // All three channels in one pass over the taps.
                    float r = 0, g = 0, b = 0;
                    ReadOnlySpan<byte> pixels = row.Slice(t.Start * 3, weights.Length * 3);
                    for (int k = 0; k < weights.Length; k++)
                    {
                        float w = weights[k];
                        r += w * pixels[3 * k];
                        g += w * pixels[3 * k + 1];
                        b += w * pixels[3 * k + 2];
                    }
                    outRow[3 * ox] = r;
                    outRow[3 * ox + 1] = g;
                    outRow[3 * ox + 2] = b;
                    continue;
                }
                for (int c = 0; c < ch; c++)
                {
                    float sum = 0;
                    for (int k = 0; k < weights.Length; k++)
                        sum += weights[k] * row[(t.Start + k) * ch + c];
                    outRow[ox * ch + c] = sum;
                }
            }
        });

        Parallel.For(0, output.Height, new ParallelOptions { MaxDegreeOfParallelism = ParallelismFor(source) }, oy =>
        {
            Taps t = yTaps[oy];
            Span<float> acc = rowFloats <= 4096 ? stackalloc float[rowFloats] : new float[rowFloats];
            acc.Clear();
            for (int k = 0; k < t.Weights.Length; k++)
            {
                float w = t.Weights[k];
                ReadOnlySpan<float> src = reduced.AsSpan((t.Start + k) * rowFloats, rowFloats);
                for (int i = 0; i < acc.Length; i++)
                    acc[i] += w * src[i];
            }
            Span<byte> dst = output.Data.AsSpan(oy * rowFloats, rowFloats);
            for (int i = 0; i < acc.Length; i++)
                dst[i] = (byte)Math.Clamp((int)(acc[i] + 0.5f), 0, 255);
        });
    }

    private static int ParallelismFor(PixelBuffer source) =>
        (long)source.Width * source.Height < 512 * 1024 ? 1 : Environment.ProcessorCount;

    private static Taps[] BuildTaps(int sourceLength, int outputLength)
    {
        double scale = (double)sourceLength / outputLength;
        var taps = new Taps[outputLength];
        for (int i = 0; i < outputLength; i++)
        {
            double begin = i * scale, end = Math.Min((i + 1) * scale, sourceLength);
            int first = (int)Math.Floor(begin);
            int last = Math.Min(sourceLength - 1, (int)Math.Ceiling(end) - 1);
            var weights = new float[last - first + 1];
            double total = 0;
            for (int j = first; j <= last; j++)
            {
                double overlap = Math.Min(end, j + 1) - Math.Max(begin, j);
                weights[j - first] = (float)Math.Max(0, overlap);
                total += Math.Max(0, overlap);
            }
            // Normalise by the actual total so rounding in begin/end never darkens an edge.
            for (int k = 0; k < weights.Length; k++)
                weights[k] = (float)(weights[k] / total);
            taps[i] = new Taps(first, weights);
        }
        return taps;
    }
}
