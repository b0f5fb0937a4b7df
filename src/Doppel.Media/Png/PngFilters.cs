using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
                {
                    row[..Math.Min(stride, row.Length)].CopyTo(output);
                    int i = stride;
                    // Forward filters read only original bytes, so they vectorise directly.
                    for (; i + Vector128<byte>.Count <= row.Length; i += Vector128<byte>.Count)
                        (Vector128.Create(row[i..]) - Vector128.Create(row[(i - stride)..])).CopyTo(output[i..]);
                    for (; i < row.Length; i++)
                        output[i] = (byte)(row[i] - row[i - stride]);
                    break;
                }
            case PngFilterType.Up:
                SubtractInto(row, previous, output);
                break;
            case PngFilterType.Average:
                {
                    for (int k = 0; k < stride && k < row.Length; k++)
                        output[k] = (byte)(row[k] - (previous[k] >> 1));
                    int i = stride;
                    for (; i + Vector128<byte>.Count <= row.Length; i += Vector128<byte>.Count)
                    {
                        Vector128<byte> a = Vector128.Create(row[(i - stride)..]), b = Vector128.Create(previous[i..]);
                        // floor((a + b) / 2) without widening: the shared bits plus half the differing ones.
                        Vector128<byte> mean = (a & b) + Vector128.ShiftRightLogical(a ^ b, 1);
                        (Vector128.Create(row[i..]) - mean).CopyTo(output[i..]);
                    }
                    for (; i < row.Length; i++)
                        output[i] = (byte)(row[i] - ((row[i - stride] + previous[i]) >> 1));
                    break;
                }
            case PngFilterType.Paeth:
                for (int i = 0; i < stride && i < row.Length; i++)
                    output[i] = (byte)(row[i] - previous[i]);
                int done = Vector128.IsHardwareAccelerated ? PngPaethVector.Filter(row, previous, stride, output) : stride;
                FilterPaethScalar(row, previous, stride, output, Math.Max(done, stride));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type));
        }
    }

    /// <summary>The scalar twin of <see cref="PngPaethVector.Filter"/>: Paeth-filters bytes [from, row.Length).</summary>
    internal static void FilterPaethScalar(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int stride, Span<byte> output, int from)
    {
        for (int i = from; i < row.Length; i++)
            output[i] = (byte)(row[i] - Paeth(row[i - stride], previous[i], previous[i - stride]));
    }

    /// <summary>
    /// The usual "minimum sum of absolute differences" heuristic (libpng's default): filtered
    /// bytes read as signed, the smaller their magnitudes the better deflate does.
    /// </summary>
    public static int Cost(ReadOnlySpan<byte> filtered)
    {
        // |signed byte| as an unsigned byte is exact even for -128 (it wraps to 128); lanes widen
        // to 32 bits before summing so no row length can overflow them.
        Vector128<uint> total = Vector128<uint>.Zero;
        int i = 0;
        for (; i + Vector128<byte>.Count <= filtered.Length; i += Vector128<byte>.Count)
        {
            Vector128<byte> magnitude = Vector128.Abs(Vector128.Create(filtered[i..]).AsSByte()).AsByte();
            (Vector128<ushort> low, Vector128<ushort> high) = Vector128.Widen(magnitude);
            Vector128<ushort> pairs = low + high; // at most 510 per lane
            (Vector128<uint> l, Vector128<uint> h) = Vector128.Widen(pairs);
            total += l + h;
        }
        int sum = (int)Vector128.Sum(total);
        for (; i < filtered.Length; i++)
            sum += CostOf(filtered[i]);
        return sum;
    }

    internal static int CostOf(byte b) => b < 128 ? b : 256 - b;

    /// <summary>
    /// Paeth's predictor: whichever of a, b, c is closest to p = a + b - c (ties prefer a, then b).
    /// Written with sign masks instead of comparisons: on photographic rows the winner changes
    /// from byte to byte, and the mispredicted branches of the textbook form made this filter
    /// 7-10x slower (measured on a 256x256 crop).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Paeth(byte a, byte b, byte c)
    {
        int pa = b - c;               // p - a
        int pb = a - c;               // p - b
        int pc = pa + pb;             // p - c
        pa = Abs(pa);
        pb = Abs(pb);
        pc = Abs(pc);
        int cBeatsB = (pc - pb) >> 31;              // -1 when pc < pb, else 0
        int bOrC = b ^ ((b ^ c) & cBeatsB);         // b, or c when it is strictly closer
        int best = pb ^ ((pb ^ pc) & cBeatsB);      // min(pb, pc)
        int bcBeatsA = (best - pa) >> 31;           // -1 when that is strictly closer than a
        return (byte)(a ^ ((a ^ bOrC) & bcBeatsA));
    }

    // Branch-free |x| (Math.Abs also checks for int.MinValue); operands here are within ±510.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Abs(int x)
    {
        int sign = x >> 31;
        return (x ^ sign) - sign;
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
