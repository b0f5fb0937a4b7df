namespace Doppel.Tensors.Kernels;

/// <summary>
/// How two broadcast operands line up against an output shape, with adjacent dimensions merged
/// wherever both operands are contiguous across them. The output is then walked as "runs" along
/// the innermost merged dimension, where each operand steps by 1 (a vector) or by 0 (a scalar),
/// so a bias add over NHWC becomes N*H*W vector adds of length C.
/// </summary>
internal sealed class BroadcastLayout
{
    public readonly int[] Dims;      // merged output dimensions
    public readonly int[] StrideA;   // element strides of operand A per merged dim (0 = broadcast)
    public readonly int[] StrideB;

    public BroadcastLayout(int[] outShape, int[] aShape, int[] bShape)
    {
        int rank = outShape.Length;
        var sa = AlignedStrides(aShape, rank);
        var sb = AlignedStrides(bShape, rank);
        var dims = new List<int>();
        var la = new List<int>();
        var lb = new List<int>();
        for (int i = 0; i < rank; i++)
        {
            if (outShape[i] == 1) continue; // size-1 dims contribute nothing
            int last = dims.Count - 1;
            if (last >= 0 && la[last] == sa[i] * outShape[i] && lb[last] == sb[i] * outShape[i])
            {
                dims[last] *= outShape[i];
                la[last] = sa[i];
                lb[last] = sb[i];
            }
            else
            {
                dims.Add(outShape[i]);
                la.Add(sa[i]);
                lb.Add(sb[i]);
            }
        }
        if (dims.Count == 0) { dims.Add(1); la.Add(0); lb.Add(0); }
        Dims = [.. dims];
        StrideA = [.. la];
        StrideB = [.. lb];
    }

    public int InnerLength => Dims[^1];
    public int InnerStrideA => StrideA[^1];
    public int InnerStrideB => StrideB[^1];
    public int Runs
    {
        get
        {
            int r = 1;
            for (int i = 0; i < Dims.Length - 1; i++) r *= Dims[i];
            return r;
        }
    }

    /// <summary>Start offsets in A and B of the run with the given index.</summary>
    public void RunOffsets(int run, out int offsetA, out int offsetB)
    {
        offsetA = 0;
        offsetB = 0;
        for (int d = Dims.Length - 2; d >= 0; d--)
        {
            int i = run % Dims[d];
            run /= Dims[d];
            offsetA += i * StrideA[d];
            offsetB += i * StrideB[d];
        }
    }

    /// <summary>Strides of a shape right-aligned to the output rank, 0 where it broadcasts.</summary>
    private static int[] AlignedStrides(int[] shape, int rank)
    {
        var strides = new int[rank];
        int s = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            int j = i - (rank - shape.Length);
            int d = j >= 0 ? shape[j] : 1;
            strides[i] = d == 1 ? 0 : s;
            s *= d;
        }
        return strides;
    }
}
