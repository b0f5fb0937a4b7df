using Doppel.Tensors.Autograd;

namespace Doppel.Tensors;

/// <summary>Reshape, flatten, concatenation, slicing and splitting along an axis.</summary>
public static partial class Ops
{
    /// <summary>A copy with another shape of the same size (one dimension may be -1).</summary>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        var target = ShapeUtil.ResolveReshape(x.Shape, shape);
        var y = Tensor.FromArray(x.Span, target);
        return OpRecorder.Record(y, "reshape", [x], g => x.AccumulateGrad(g.Span));
    }

    /// <summary>(N, ...) to (N, product of the rest).</summary>
    public static Tensor Flatten(Tensor x) => Reshape(x, x.Dim(0), -1);

    /// <summary>
    /// Joins tensors that agree on every axis but <paramref name="axis"/> (negative counts from the
    /// end: -1 is the channel axis of NHWC, as for U-Net skips). Each part's gradient is its slice of
    /// the output's; a tensor passed twice receives both.
    /// </summary>
    public static Tensor Concat(Tensor[] parts, int axis)
    {
        if (parts.Length == 0) throw new ArgumentException("concat: no tensors");
        parts = (Tensor[])parts.Clone(); // the backward pass must see these parts even if the caller reuses the array
        int rank = parts[0].Rank;
        if (axis < 0) axis += rank;
        if ((uint)axis >= (uint)rank) throw new ArgumentException($"concat: axis {axis} out of range for rank {rank}");
        var shape = (int[])parts[0].Shape.Clone();
        shape[axis] = 0;
        foreach (var p in parts)
        {
            for (int d = 0; d < rank; d++)
                if (p.Rank != rank || (d != axis && p.Shape[d] != parts[0].Shape[d]))
                    throw new ShapeMismatchException("concat", parts[0].Shape, p.Shape, $"along axis {axis}");
            shape[axis] += p.Shape[axis];
        }
        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= shape[d];
        for (int d = axis + 1; d < rank; d++) inner *= shape[d];
        var y = Tensor.Empty(shape);
        int rowOut = shape[axis] * inner, offset = 0;
        var offsets = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            offsets[i] = offset;
            int row = parts[i].Shape[axis] * inner;
            for (int o = 0; o < outer; o++)
                parts[i].Data.AsSpan(o * row, row).CopyTo(y.Data.AsSpan(o * rowOut + offset, row));
            offset += row;
        }
        return OpRecorder.Record(y, "concat", parts, g =>
        {
            for (int i = 0; i < parts.Length; i++)
            {
                if (!parts[i].RequiresGrad) continue;
                int row = parts[i].Shape[axis] * inner;
                var buffer = parts[i].GradBuffer(out bool accumulate);
                for (int o = 0; o < outer; o++)
                {
                    var src = g.Data.AsSpan(o * rowOut + offsets[i], row);
                    var dst = buffer.AsSpan(o * row, row);
                    if (accumulate) System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst); else src.CopyTo(dst);
                }
            }
        });
    }

    /// <summary>Elements [start, start + length) along <paramref name="axis"/>.</summary>
    public static Tensor Slice(Tensor x, int axis, int start, int length)
    {
        if (axis < 0) axis += x.Rank;
        if ((uint)axis >= (uint)x.Rank) throw new ArgumentException($"slice: axis {axis} out of range for shape {ShapeUtil.Format(x.Shape)}");
        if (start < 0 || length < 0 || start + length > x.Shape[axis])
            throw new ArgumentException($"slice: [{start}, {start + length}) is outside axis {axis} of shape {ShapeUtil.Format(x.Shape)}");
        var shape = (int[])x.Shape.Clone();
        shape[axis] = length;
        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= x.Shape[d];
        for (int d = axis + 1; d < x.Rank; d++) inner *= x.Shape[d];
        int rowIn = x.Shape[axis] * inner, rowOut = length * inner;
        var y = Tensor.Empty(shape);
        for (int o = 0; o < outer; o++)
            x.Data.AsSpan(o * rowIn + start * inner, rowOut).CopyTo(y.Data.AsSpan(o * rowOut, rowOut));
        return OpRecorder.Record(y, "slice", [x], g =>
        {
            var buffer = x.GradBuffer(out bool accumulate);
            if (!accumulate) Array.Clear(buffer);
            for (int o = 0; o < outer; o++)
            {
                var src = g.Data.AsSpan(o * rowOut, rowOut);
                var dst = buffer.AsSpan(o * rowIn + start * inner, rowOut);
                System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);
            }
        });
    }

    /// <summary>
    /// Cuts <paramref name="x"/> along <paramref name="axis"/> into consecutive parts of the given
    /// sizes (which must add up to the axis length; zero is allowed), the inverse of
    /// <see cref="Concat"/>. Each part is a slice with its own backward, so parts may be used or
    /// dropped independently; x's gradient sums what reaches each part (zero where none does).
    /// </summary>
    public static Tensor[] Split(Tensor x, int[] sizes, int axis)
    {
        if (axis < 0) axis += x.Rank;
        if ((uint)axis >= (uint)x.Rank) throw new ArgumentException($"split: axis {axis} out of range for shape {ShapeUtil.Format(x.Shape)}");
        long total = 0;
        foreach (int s in sizes)
        {
            if (s < 0) throw new ArgumentException($"split: negative size {s} in [{string.Join(", ", sizes)}]");
            total += s;
        }
        if (total != x.Shape[axis])
            throw new ArgumentException($"split: sizes [{string.Join(", ", sizes)}] add up to {total}, not to the {x.Shape[axis]} of axis {axis} of shape {ShapeUtil.Format(x.Shape)}");
        var parts = new Tensor[sizes.Length];
        for (int i = 0, start = 0; i < sizes.Length; start += sizes[i], i++) parts[i] = Slice(x, axis, start, sizes[i]);
        return parts;
    }

    /// <summary><paramref name="count"/> equal parts along <paramref name="axis"/>, whose length must divide evenly.</summary>
    public static Tensor[] Split(Tensor x, int count, int axis)
    {
        int a = axis < 0 ? axis + x.Rank : axis;
        if ((uint)a >= (uint)x.Rank) throw new ArgumentException($"split: axis {axis} out of range for shape {ShapeUtil.Format(x.Shape)}");
        if (count < 1 || x.Shape[a] % count != 0)
            throw new ArgumentException($"split: axis {axis} of shape {ShapeUtil.Format(x.Shape)} does not split into {count} equal parts");
        return Split(x, Enumerable.Repeat(x.Shape[a] / count, count).ToArray(), a);
    }
}
