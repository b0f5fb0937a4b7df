using System.Numerics;
using System.Runtime.CompilerServices;

namespace Doppel.Media.Png;

/// <summary>
/// PNG's five row filters, forward (for writing) and inverse (for reading). Every filter
/// predicts a byte from its left neighbour a (one pixel back, <c>stride</c> bytes), the byte
/// above b and the one above-left c, and stores the difference modulo 256. For the first row
/// the "previous row" is all zeros.
/// Sub, Average and Paeth reconstruct left to right, so their inverse is inherently serial;
/// Up has no left dependency and runs with Vector&lt;byte&gt; lanes.
/// </summary>
internal static class PngFilters
{
    /// <summary>Reconstructs <paramref name="row"/> in place from its filtered bytes.</summary>
    public static void Unfilter(PngFilterType type, Span<byte> row, ReadOnlySpan<byte> previous, int stride)
    {
        switch (type)
        {
            case PngFilterType.None:
                break;
            case PngFilterType.Sub:
                for (int i = stride; i < row.Length; i++)
                    row[i] += row[i - stride];
                break;
            case PngFilterType.Up:
                AddInPlace(row, previous);
                break;
            case PngFilterType.Average:
                for (int i = 0; i < stride; i++)
                    row[i] += (byte)(previous[i] >> 1);
                for (int i = stride; i < row.Length; i++)
                    row[i] += (byte)((row[i - stride] + previous[i]) >> 1);
                break;
            case PngFilterType.Paeth:
                for (int i = 0; i < stride; i++)
                    row[i] += previous[i]; // a = c = 0, so the predictor is b
                for (int i = stride; i < row.Length; i++)
                    row[i] += Paeth(row[i - stride], previous[i], previous[i - stride]);
                break;
            default:
                throw new InvalidDataException($"unknown PNG filter type {(byte)type}");
        }
    }

    /// <summary>Writes the <paramref name="type"/>-filtered form of <paramref name="row"/> into <paramref name="output"/>.</summary>
    public static void Filter(PngFilterType type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int stride, Span<byte> output)
    {
        switch (type)
        {
            case PngFilterType.None:
                row.CopyTo(output);
                break;
            case PngFilterType.Sub:
                row[..stride].CopyTo(output);
                for (int i = stride; i < row.Length; i++)
                    output[i] = (byte)(row[i] - row[i - stride]);
                break;
            case PngFilterType.Up:
                SubtractInto(row, previous, output);
                break;
            case PngFilterType.Average:
                for (int i = 0; i < stride; i++)
                    output[i] = (byte)(row[i] - (previous[i] >> 1));
                for (int i = stride; i < row.Length; i++)
                    output[i] = (byte)(row[i] - ((row[i - stride] + previous[i]) >> 1));
                break;
            case PngFilterType.Paeth:
                for (int i = 0; i < stride; i++)
                    output[i] = (byte)(row[i] - previous[i]);
                for (int i = stride; i < row.Length; i++)
                    output[i] = (byte)(row[i] - Paeth(row[i - stride], previous[i], previous[i - stride]));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type));
        }
    }

    /// <summary>
    /// The usual "minimum sum of absolute differences" heuristic (libpng's default): filtered
    /// bytes read as signed, the smaller their magnitudes the better deflate does.
    /// </summary>
    public static int Cost(ReadOnlySpan<byte> filtered)
    {
        int sum = 0;
        foreach (byte b in filtered)
            sum += b < 128 ? b : 256 - b;
        return sum;
    }

    /// <summary>Paeth's predictor: whichever of a, b, c is closest to a + b - c (ties prefer a, then b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Paeth(byte a, byte b, byte c)
    {
        int pa = Math.Abs(b - c);          // |p - a| where p = a + b - c
        int pb = Math.Abs(a - c);          // |p - b|
        int pc = Math.Abs(a + b - 2 * c);  // |p - c|
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }

    private static void AddInPlace(Span<byte> row, ReadOnlySpan<byte> previous)
    {
        int i = 0;
        for (; i + Vector<byte>.Count <= row.Length; i += Vector<byte>.Count)
            (new Vector<byte>(row[i..]) + new Vector<byte>(previous[i..])).CopyTo(row[i..]);
        for (; i < row.Length; i++)
            row[i] += previous[i];
    }

    private static void SubtractInto(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, Span<byte> output)
    {
        int i = 0;
        for (; i + Vector<byte>.Count <= row.Length; i += Vector<byte>.Count)
            (new Vector<byte>(row[i..]) - new Vector<byte>(previous[i..])).CopyTo(output[i..]);
        for (; i < row.Length; i++)
            output[i] = (byte)(row[i] - previous[i]);
    }
}
