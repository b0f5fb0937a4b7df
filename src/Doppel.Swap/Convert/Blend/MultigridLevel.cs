using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Doppel.Swap.Convert.Blend;

/// <summary>
/// One grid of <see cref="MaskedLaplaceSolver"/>'s hierarchy: a five-point, symmetric operator
/// with per-edge couplings over a <c>Width x Height</c> box of cells, and the solution,
/// right-hand side and residual on it. Every array has a one-cell ring of zeros all round
/// (stride <c>Width + 2</c>), so the stencil reads its four neighbours without bounds checks and
/// the kernels run over one contiguous span, ring columns included: a ring cell has no
/// diagonal, no couplings and no right-hand side, so it computes to zero and stays zero.
/// A cell is an unknown when its diagonal is positive; any other cell is held at zero (a
/// Dirichlet value folded into the right-hand side on the finest grid, a zero correction below).
/// </summary>
internal sealed class MultigridLevel
{
    // Damped Jacobi: 4/5 is the weight that damps the high half of the five-point Laplacian's
    // spectrum best (by 0.6 per sweep), which is all a multigrid smoother has to do.
    private const float JacobiWeight = 0.8f;

    private float[] _u = [], _f = [], _r = [], _diag = [], _invDiag = [], _mask = [], _east = [], _south = [];
    // Row scratch of the grid transfers: sized on use, never shared between levels' callers (one solver per thread).
    private float[] _rowA = [], _rowB = [], _rows = [];

    public int Width { get; private set; }
    public int Height { get; private set; }
    public int Stride => Width + 2;

    /// <summary>Cells including the ring.</summary>
    public int Length => Stride * (Height + 2);

    /// <summary>The solution (a correction on coarse grids).</summary>
    public Span<float> U => _u.AsSpan(0, Length);

    /// <summary>The right-hand side.</summary>
    public Span<float> F => _f.AsSpan(0, Length);

    /// <summary>Sum of the couplings of a cell to all its neighbours, unknown or held: A's diagonal; 0 off the domain.</summary>
    public Span<float> Diag => _diag.AsSpan(0, Length);

    /// <summary>Coupling of a cell to its right neighbour (0 unless both are unknowns).</summary>
    public Span<float> East => _east.AsSpan(0, Length);

    /// <summary>Coupling of a cell to the one below (0 unless both are unknowns).</summary>
    public Span<float> South => _south.AsSpan(0, Length);

    public int Index(int x, int y) => (y + 1) * Stride + x + 1;

    /// <summary>Sizes the grid and zeroes everything; arrays are kept when large enough (scratch is reused across faces).</summary>
    public void Reset(int width, int height)
    {
        Width = width;
        Height = height;
        int n = Length;
        Ensure(ref _u, n);
        Ensure(ref _f, n);
        Ensure(ref _r, n);
        Ensure(ref _diag, n);
        Ensure(ref _invDiag, n);
        Ensure(ref _mask, n);
        Ensure(ref _east, n);
        Ensure(ref _south, n);
    }

    /// <summary>Call after the diagonal is filled: caches 1/diagonal and the unknowns' mask (both 0 for held cells).</summary>
    public void Finish()
    {
        Span<float> diag = Diag, inv = _invDiag.AsSpan(0, Length), mask = _mask.AsSpan(0, Length);
        for (int i = 0; i < diag.Length; i++)
        {
            bool unknown = diag[i] > 0;
            inv[i] = unknown ? 1f / diag[i] : 0f;
            mask[i] = unknown ? 1f : 0f;
        }
    }

    /// <summary>R = F - A U over the whole grid; returns max |R|.</summary>
    public float ComputeResidual()
    {
        int s = Stride, start = s, end = s * (Height + 1);
        ref float u = ref MemoryMarshal.GetArrayDataReference(_u);
        ref float f = ref MemoryMarshal.GetArrayDataReference(_f);
        ref float d = ref MemoryMarshal.GetArrayDataReference(_diag);
        ref float e = ref MemoryMarshal.GetArrayDataReference(_east);
        ref float so = ref MemoryMarshal.GetArrayDataReference(_south);
        ref float r = ref MemoryMarshal.GetArrayDataReference(_r);
        var max = Vector<float>.Zero;
        int i = start;
        // Lane k of each vector is cell i + k; the loads at i - 1, i + 1, i - s, i + s are its
        // four neighbours. All stay inside the array: start - s = 0 and end + s = Length.
        for (; i <= end - Vector<float>.Count; i += Vector<float>.Count)
        {
            nuint at = (nuint)i;
            var res = Vector.LoadUnsafe(ref f, at) - Vector.LoadUnsafe(ref d, at) * Vector.LoadUnsafe(ref u, at)
                + Vector.LoadUnsafe(ref e, at) * Vector.LoadUnsafe(ref u, at + 1)
                + Vector.LoadUnsafe(ref e, at - 1) * Vector.LoadUnsafe(ref u, at - 1)
                + Vector.LoadUnsafe(ref so, at) * Vector.LoadUnsafe(ref u, at + (nuint)s)
                + Vector.LoadUnsafe(ref so, at - (nuint)s) * Vector.LoadUnsafe(ref u, at - (nuint)s);
            res.StoreUnsafe(ref r, at);
            max = Vector.Max(max, Vector.Abs(res));
        }
        float m = 0;
        for (int k = 0; k < Vector<float>.Count; k++) m = Math.Max(m, max[k]);
        for (; i < end; i++)
        {
            // Scalar twin of the vector body, for the tail.
            float res = _f[i] - _diag[i] * _u[i] + _east[i] * _u[i + 1] + _east[i - 1] * _u[i - 1] + _south[i] * _u[i + s] + _south[i - s] * _u[i - s];
            _r[i] = res;
            m = Math.Max(m, Math.Abs(res));
        }
        return m;
    }

    /// <summary>
    /// One damped Jacobi sweep, U += w R / diag with R the current residual: written into the
    /// residual array, which then becomes the solution (the two swap), so a sweep is one pass.
    /// (Red-black Gauss-Seidel smooths better per sweep but, updated in place, its vector loads
    /// overlap the stores just made and it ran slower per cycle than two Jacobi sweeps.)
    /// </summary>
    public void JacobiSweep()
    {
        int s = Stride, start = s, end = s * (Height + 1);
        ref float u = ref MemoryMarshal.GetArrayDataReference(_u);
        ref float f = ref MemoryMarshal.GetArrayDataReference(_f);
        ref float d = ref MemoryMarshal.GetArrayDataReference(_diag);
        ref float inv = ref MemoryMarshal.GetArrayDataReference(_invDiag);
        ref float e = ref MemoryMarshal.GetArrayDataReference(_east);
        ref float so = ref MemoryMarshal.GetArrayDataReference(_south);
        ref float next = ref MemoryMarshal.GetArrayDataReference(_r);
        var w = new Vector<float>(JacobiWeight);
        int i = start;
        for (; i <= end - Vector<float>.Count; i += Vector<float>.Count)
        {
            nuint at = (nuint)i;
            var ui = Vector.LoadUnsafe(ref u, at);
            var res = Vector.LoadUnsafe(ref f, at) - Vector.LoadUnsafe(ref d, at) * ui
                + Vector.LoadUnsafe(ref e, at) * Vector.LoadUnsafe(ref u, at + 1)
                + Vector.LoadUnsafe(ref e, at - 1) * Vector.LoadUnsafe(ref u, at - 1)
                + Vector.LoadUnsafe(ref so, at) * Vector.LoadUnsafe(ref u, at + (nuint)s)
                + Vector.LoadUnsafe(ref so, at - (nuint)s) * Vector.LoadUnsafe(ref u, at - (nuint)s);
            (ui + w * Vector.LoadUnsafe(ref inv, at) * res).StoreUnsafe(ref next, at);
        }
        for (; i < end; i++)
        {
            float res = _f[i] - _diag[i] * _u[i] + _east[i] * _u[i + 1] + _east[i - 1] * _u[i - 1] + _south[i] * _u[i + s] + _south[i - s] * _u[i - s];
            _r[i] = _u[i] + JacobiWeight * _invDiag[i] * res;
        }
        // The first and last ring rows were not written: they are zero in both arrays.
        (_u, _r) = (_r, _u);
    }

    /// <summary>
    /// Symmetric Gauss-Seidel (a forward then a backward sweep, so the result is a symmetric
    /// operator of F) from U = 0: the coarsest grid is a handful of cells, solved to convergence.
    /// </summary>
    public void SymmetricGaussSeidel(int sweeps)
    {
        int s = Stride;
        Array.Clear(_u, 0, Length);
        for (int sweep = 0; sweep < sweeps; sweep++)
        {
            for (int i = s; i < s * (Height + 1); i++) Relax(i, s);
            for (int i = s * (Height + 1) - 1; i >= s; i--) Relax(i, s);
        }
    }

    private void Relax(int i, int s)
    {
        if (_invDiag[i] > 0)
            _u[i] = (_f[i] + _east[i] * _u[i + 1] + _east[i - 1] * _u[i - 1] + _south[i] * _u[i + s] + _south[i - s] * _u[i - s]) * _invDiag[i];
    }

    /// <summary>result = A u (u and result span the whole grid, ring included; the ring of u must be zero).</summary>
    public void Multiply(ReadOnlySpan<float> u, Span<float> result)
    {
        int s = Stride, end = s * (Height + 1);
        if (u.Length < Length || result.Length < Length) throw new ArgumentException("spans shorter than the grid");
        ref float uu = ref MemoryMarshal.GetReference(u);
        ref float q = ref MemoryMarshal.GetReference(result);
        ref float d = ref MemoryMarshal.GetArrayDataReference(_diag);
        ref float e = ref MemoryMarshal.GetArrayDataReference(_east);
        ref float so = ref MemoryMarshal.GetArrayDataReference(_south);
        int i = s;
        // As in ComputeResidual: lane k is cell i + k, its neighbours at +-1 and +-stride.
        for (; i <= end - Vector<float>.Count; i += Vector<float>.Count)
        {
            nuint at = (nuint)i;
            var product = Vector.LoadUnsafe(ref d, at) * Vector.LoadUnsafe(ref uu, at)
                - Vector.LoadUnsafe(ref e, at) * Vector.LoadUnsafe(ref uu, at + 1)
                - Vector.LoadUnsafe(ref e, at - 1) * Vector.LoadUnsafe(ref uu, at - 1)
                - Vector.LoadUnsafe(ref so, at) * Vector.LoadUnsafe(ref uu, at + (nuint)s)
                - Vector.LoadUnsafe(ref so, at - (nuint)s) * Vector.LoadUnsafe(ref uu, at - (nuint)s);
            product.StoreUnsafe(ref q, at);
        }
        for (; i < end; i++)
            result[i] = _diag[i] * u[i] - _east[i] * u[i + 1] - _east[i - 1] * u[i - 1] - _south[i] * u[i + s] - _south[i - s] * u[i - s];
    }

    /// <summary>
    /// Builds this grid as the coarse version of <paramref name="fine"/>: one cell per 2 x 2
    /// block. A coupling between two blocks is half the sum of the fine couplings crossing their
    /// common face, so away from the domain's edge this is exactly the five-point Laplacian of the
    /// coarse grid (and the residual is restricted by summing the block, <see cref="Restrict"/>).
    /// The couplings to held cells (the Dirichlet edge) cannot simply be summed or halved: the
    /// held value sits half a fine cell beyond the face, and the coarse cell's centre lies a
    /// quarter of a coarse cell further in than its children's. Treated as conductances in series,
    /// the block's leak is 1 / (1 / (sum of its children's leaks) + 1/4); with a plain sum the
    /// coarse grids see the boundary too far away, overshoot, and the V-cycle diverges.
    /// </summary>
    public void CoarsenFrom(MultigridLevel fine)
    {
        Reset((fine.Width + 1) / 2, (fine.Height + 1) / 2);
        int fs = fine.Stride, s = Stride;
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                // Children of an odd-sized grid's last block may be ring cells: all zero, so they drop out.
                int c00 = fine.Index(2 * x, 2 * y), c10 = c00 + 1, c01 = c00 + fs, c11 = c01 + 1;
                int i = Index(x, y);
                _east[i] = 0.5f * (fine._east[c10] + fine._east[c11]);
                _south[i] = 0.5f * (fine._south[c01] + fine._south[c11]);
                float leaks = fine.Leak(c00) + fine.Leak(c10) + fine.Leak(c01) + fine.Leak(c11);
                _diag[i] = leaks > 1e-6f ? 1f / (1f / leaks + 0.25f) : 0f; // the leak for now; couplings added below
            }
        }
        for (int y = 0; y < Height; y++)
            for (int i = Index(0, y), end = i + Width; i < end; i++)
                _diag[i] += _east[i] + _east[i - 1] + _south[i] + _south[i - s];
        Finish();
    }

    /// <summary>The part of a cell's diagonal that couples it to held cells rather than to unknowns.</summary>
    private float Leak(int i) =>
        _diag[i] == 0 ? 0 : Math.Max(0f, _diag[i] - (_east[i] + _east[i - 1] + _south[i] + _south[i - Stride]));

    /// <summary>
    /// F of this (coarse) grid = the transpose of <see cref="ProlongInto"/> applied to the fine
    /// residual; U = 0. Being the exact transpose keeps the V-cycle a symmetric operator, which
    /// <see cref="MaskedLaplaceSolver"/>'s conjugate gradients need. The bilinear weights are a
    /// product of 1-D weights (3/4 own, 1/4 neighbour), so this runs as a horizontal pass per
    /// fine row (coarse cell X gathers fine x = 2X-1 .. 2X+2 with 1/4, 3/4, 3/4, 1/4) and a
    /// vertical combination of four such rows. The fine residual is zero on held cells and the
    /// ring, so they need no test; what lands on held coarse cells is dropped (P has no column there).
    /// </summary>
    public void Restrict(MultigridLevel fine)
    {
        int w = Width;
        Grow(ref _rows, fine.Height * w);
        for (int y = 0; y < fine.Height; y++)
        {
            ref float r = ref MemoryMarshal.GetArrayDataReference(fine._r);
            int row = fine.Index(0, y) - 1; // the row's left ring cell; fine x sits at row + x + 1
            Span<float> h = _rows.AsSpan(y * w, w);
            // 2X + 3 <= Width + 2 = the next row's left ring cell (zero) at worst: no read leaves the array.
            for (int x = 0; x < w; x++)
            {
                int at = row + 2 * x;
                h[x] = 0.25f * (Unsafe.Add(ref r, at) + Unsafe.Add(ref r, at + 3)) + 0.75f * (Unsafe.Add(ref r, at + 1) + Unsafe.Add(ref r, at + 2));
            }
        }
        Array.Clear(_u, 0, Length);
        Array.Clear(_f, 0, Length);
        for (int y = 0; y < Height; y++)
        {
            Span<float> f = _f.AsSpan(Index(0, y), w);
            ReadOnlySpan<float> mask = _mask.AsSpan(Index(0, y), w);
            AddRow(f, RowOf(2 * y, fine.Height, w), 0.75f);
            AddRow(f, RowOf(2 * y + 1, fine.Height, w), 0.75f);
            AddRow(f, RowOf(2 * y - 1, fine.Height, w), 0.25f);
            AddRow(f, RowOf(2 * y + 2, fine.Height, w), 0.25f);
            MultiplyRow(f, mask);
        }
    }

    /// <summary>
    /// Adds this (coarse) grid's correction to the fine solution, interpolated bilinearly between
    /// cell centres (9/16 own block, 3/16 each side neighbour, 1/16 the diagonal one), as a
    /// vertical blend of two coarse rows and then a horizontal one. Bilinear rather than
    /// constant: a constant prolongation lets the V-cycle's convergence degrade with the number
    /// of levels. Held fine cells are left alone (the correction is multiplied by the mask).
    /// </summary>
    public void ProlongInto(MultigridLevel fine)
    {
        int s = Stride, fs = fine.Stride;
        Grow(ref _rowA, s);
        Grow(ref _rowB, fs);
        for (int y = 0; y < fine.Height; y++)
        {
            int own = Index(0, y >> 1) - 1, side = own + ((y & 1) == 0 ? -s : s);
            Span<float> v = _rowA.AsSpan(0, s);
            // v = 3/4 own coarse row + 1/4 the neighbouring one, ring cells included (they are zero).
            Blend(_u.AsSpan(own, s), _u.AsSpan(side, s), v);
            Span<float> c = _rowB.AsSpan(0, fs);
            // Fine x = 2X and 2X + 1 sit at padded 2X + 1 and 2X + 2; coarse X at padded X + 1.
            // An odd width's last odd x is the ring column: written, then masked to nothing.
            for (int x = 0; x < Width; x++)
            {
                float e = 0.75f * v[x + 1];
                c[2 * x + 1] = e + 0.25f * v[x];
                c[2 * x + 2] = e + 0.25f * v[x + 2];
            }
            int row = fine.Index(0, y) - 1;
            MultiplyAddRow(fine._u.AsSpan(row, fs), c, fine._mask.AsSpan(row, fs));
        }
    }

    // The horizontal restriction of fine row y, or nothing (zeros) above or below the grid.
    private ReadOnlySpan<float> RowOf(int y, int height, int w) => y < 0 || y >= height ? default : _rows.AsSpan(y * w, w);

    private static void AddRow(Span<float> target, ReadOnlySpan<float> row, float weight)
    {
        if (row.IsEmpty) return;
        var vw = new Vector<float>(weight);
        int i = 0;
        for (; i <= target.Length - Vector<float>.Count; i += Vector<float>.Count)
            (new Vector<float>(target[i..]) + vw * new Vector<float>(row[i..])).CopyTo(target[i..]);
        for (; i < target.Length; i++) target[i] += weight * row[i];
    }

    private static void MultiplyRow(Span<float> target, ReadOnlySpan<float> mask)
    {
        int i = 0;
        for (; i <= target.Length - Vector<float>.Count; i += Vector<float>.Count)
            (new Vector<float>(target[i..]) * new Vector<float>(mask[i..])).CopyTo(target[i..]);
        for (; i < target.Length; i++) target[i] *= mask[i];
    }

    private static void Blend(ReadOnlySpan<float> own, ReadOnlySpan<float> side, Span<float> result)
    {
        var three = new Vector<float>(0.75f);
        var one = new Vector<float>(0.25f);
        int i = 0;
        for (; i <= result.Length - Vector<float>.Count; i += Vector<float>.Count)
            (three * new Vector<float>(own[i..]) + one * new Vector<float>(side[i..])).CopyTo(result[i..]);
        for (; i < result.Length; i++) result[i] = 0.75f * own[i] + 0.25f * side[i];
    }

    private static void MultiplyAddRow(Span<float> target, ReadOnlySpan<float> add, ReadOnlySpan<float> mask)
    {
        int i = 0;
        for (; i <= target.Length - Vector<float>.Count; i += Vector<float>.Count)
            (new Vector<float>(target[i..]) + new Vector<float>(add[i..]) * new Vector<float>(mask[i..])).CopyTo(target[i..]);
        for (; i < target.Length; i++) target[i] += add[i] * mask[i];
    }

    private static void Grow(ref float[] array, int n)
    {
        if (array.Length < n) array = new float[n];
    }

    private static void Ensure(ref float[] array, int n)
    {
        if (array.Length < n) array = new float[Math.Max(n, array.Length * 3 / 2)];
        else Array.Clear(array, 0, n);
    }
}
