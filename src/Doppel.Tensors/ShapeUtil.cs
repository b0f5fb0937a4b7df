namespace Doppel.Tensors;

/// <summary>Shape arithmetic and the shape-mismatch errors that name the op and both shapes.</summary>
public static class ShapeUtil
{
    public static int Count(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative dimension in shape {Format(shape)}");
            n *= d;
        }
        if (n > Array.MaxLength) throw new ArgumentException($"shape {Format(shape)} has too many elements ({n})");
        return (int)n;
    }

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { strides[i] = s; s *= shape[i]; }
        return strides;
    }

    public static int Offset(ReadOnlySpan<int> shape, ReadOnlySpan<int> index)
    {
        if (index.Length != shape.Length) throw new IndexOutOfRangeException($"index of rank {index.Length} for shape {Format(shape)}");
        int offset = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if ((uint)index[i] >= (uint)shape[i]) throw new IndexOutOfRangeException($"index {index[i]} out of range for axis {i} of shape {Format(shape)}");
            offset = offset * shape[i] + index[i];
        }
        return offset;
    }

    /// <summary>NumPy broadcasting of two shapes, or a <see cref="ShapeMismatchException"/>.</summary>
    public static int[] Broadcast(string op, int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1) throw new ShapeMismatchException(op, a, b);
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Resolves one -1 in a reshape target.</summary>
    public static int[] ResolveReshape(int[] from, int[] to)
    {
        int total = Count(from), known = 1, unknown = -1;
        for (int i = 0; i < to.Length; i++)
        {
            if (to[i] == -1)
            {
                if (unknown >= 0) throw new ShapeMismatchException("reshape", from, to, "only one dimension may be -1");
                unknown = i;
            }
            else known *= to[i];
        }
        var result = (int[])to.Clone();
        if (unknown >= 0)
        {
            if (known == 0 || total % known != 0) throw new ShapeMismatchException("reshape", from, to);
            result[unknown] = total / known;
        }
        if (Count(result) != total) throw new ShapeMismatchException("reshape", from, to);
        return result;
    }
}

/// <summary>Two shapes that an op cannot combine; the message names the op and both shapes.</summary>
public sealed class ShapeMismatchException(string op, int[] a, int[] b, string? detail = null)
    : ArgumentException($"{op}: shapes {ShapeUtil.Format(a)} and {ShapeUtil.Format(b)} do not match" + (detail is null ? "" : $" ({detail})"))
{
    public string Op { get; } = op;
}
