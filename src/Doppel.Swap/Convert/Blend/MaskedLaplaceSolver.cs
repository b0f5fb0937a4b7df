using System.Numerics;
using System.Runtime.InteropServices;

namespace Doppel.Swap.Convert.Blend;

/// <summary>
/// Solves A x = b for the five-point operator of a <see cref="MultigridLevel"/> (a Laplacian on
/// an irregular set of cells, with Dirichlet and free edges) by conjugate gradients
/// preconditioned with one multigrid V-cycle per iteration (damped Jacobi smoothing, bilinear
/// prolongation and its transpose, the coarse operators of <see cref="MultigridLevel.CoarsenFrom"/>).
/// <para>
/// Why both: multigrid alone costs a few fine-grid passes per cycle and cuts the error by a
/// fixed factor per cycle, whatever the size; but on a curved region the coarse grids' cells
/// straddle the edge, see a slightly different domain and can over-correct the smoothest error,
/// which made plain V-cycles diverge on a disc. A symmetric V-cycle is still a symmetric
/// positive definite preconditioner whatever its coarse grids get wrong, and conjugate
/// gradients undo any over- or under-correction, so the pair converges in a handful of
/// iterations on any mask. Deterministic; not thread-safe (one blend's scratch space).
/// </para>
/// </summary>
internal sealed class MaskedLaplaceSolver
{
    private const int Sweeps = 2;
    private const int CoarsestSweeps = 20;
    private readonly List<MultigridLevel> _levels = [new MultigridLevel()];
    private int _depth;
    private float[] _x = [], _p = [], _q = [];

    /// <summary>The finest grid: the caller sizes it, fills Diag, East and South and calls <see cref="MultigridLevel.Finish"/>, then <see cref="Prepare"/>.</summary>
    public MultigridLevel Fine => _levels[0];

    /// <summary>The solution of the last <see cref="Solve"/>, laid out as <see cref="Fine"/>'s grid.</summary>
    public ReadOnlySpan<float> Solution => _x.AsSpan(0, Fine.Length);

    /// <summary>Conjugate-gradient iterations (one V-cycle each) of the last <see cref="Solve"/>.</summary>
    public int Iterations { get; private set; }

    /// <summary>Builds the coarse grids of the operator now in <see cref="Fine"/>, down to 2 x 2 cells or fewer.</summary>
    public void Prepare()
    {
        _depth = 1;
        while (_levels[_depth - 1].Width > 2 || _levels[_depth - 1].Height > 2)
        {
            if (_levels.Count == _depth) _levels.Add(new MultigridLevel());
            _levels[_depth].CoarsenFrom(_levels[_depth - 1]);
            _depth++;
        }
        int n = Fine.Length;
        if (_x.Length < n)
        {
            _x = new float[n];
            _p = new float[n];
            _q = new float[n];
        }
    }

    /// <summary>
    /// Solves for the right-hand side the caller put in <see cref="Fine"/>'s F (which this
    /// overwrites with the residual), from x = 0, until the largest residual is at most
    /// <paramref name="relativeTolerance"/> times the largest |b| or <paramref name="absoluteTolerance"/>,
    /// or after <paramref name="maxIterations"/> iterations.
    /// </summary>
    public void Solve(float relativeTolerance, float absoluteTolerance, int maxIterations)
    {
        MultigridLevel fine = Fine;
        int n = fine.Length;
        Span<float> x = _x.AsSpan(0, n), p = _p.AsSpan(0, n), q = _q.AsSpan(0, n);
        // Multiply leaves q's ring rows alone and p's are copied from U; stale values from a
        // larger face would leak into r's ring and the stopping test.
        x.Clear();
        q.Clear();
        Span<float> r = fine.F; // the V-cycle's right-hand side is the current residual, so r lives there
        float target = Math.Max(absoluteTolerance, relativeTolerance * MaxAbs(r));
        Iterations = 0;
        if (MaxAbs(r) <= target) return;
        Precondition();
        fine.U.CopyTo(p);
        double rz = Dot(r, fine.U);
        while (Iterations < maxIterations)
        {
            fine.Multiply(p, q);
            double pq = Dot(p, q);
            if (!(pq > 0) || !(rz > 0)) break; // nothing left to reduce (or a singular, empty direction)
            float alpha = (float)(rz / pq);
            Axpy(alpha, p, x);
            Axpy(-alpha, q, r);
            Iterations++;
            if (MaxAbs(r) <= target) break;
            Precondition();
            Span<float> z = fine.U;
            double rzNext = Dot(r, z);
            float beta = (float)(rzNext / rz);
            rz = rzNext;
            Xpby(z, beta, p);
        }
    }

    /// <summary>Fine.U = one V-cycle's approximation of A^-1 Fine.F, from zero.</summary>
    private void Precondition()
    {
        Fine.U.Clear();
        VCycle(0);
    }

    private void VCycle(int k)
    {
        MultigridLevel level = _levels[k];
        if (k == _depth - 1)
        {
            level.SymmetricGaussSeidel(CoarsestSweeps);
            return;
        }
        for (int i = 0; i < Sweeps; i++) level.JacobiSweep();
        level.ComputeResidual();
        MultigridLevel coarse = _levels[k + 1];
        coarse.Restrict(level);
        VCycle(k + 1);
        coarse.ProlongInto(level);
        // The same sweeps after the coarse correction as before it: Jacobi is symmetric, so the cycle is.
        for (int i = 0; i < Sweeps; i++) level.JacobiSweep();
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var acc = Vector<float>.Zero;
        int i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            acc += Vector.LoadUnsafe(ref MemoryMarshal.GetReference(a), (nuint)i) * Vector.LoadUnsafe(ref MemoryMarshal.GetReference(b), (nuint)i);
        double sum = Vector.Sum(acc);
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        var va = new Vector<float>(alpha);
        int i = 0;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            (Vector.LoadUnsafe(ref MemoryMarshal.GetReference(y), (nuint)i) + va * Vector.LoadUnsafe(ref MemoryMarshal.GetReference(x), (nuint)i))
                .StoreUnsafe(ref MemoryMarshal.GetReference(y), (nuint)i);
        for (; i < x.Length; i++) y[i] += alpha * x[i];
    }

    /// <summary>y = x + beta y.</summary>
    private static void Xpby(ReadOnlySpan<float> x, float beta, Span<float> y)
    {
        var vb = new Vector<float>(beta);
        int i = 0;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            (Vector.LoadUnsafe(ref MemoryMarshal.GetReference(x), (nuint)i) + vb * Vector.LoadUnsafe(ref MemoryMarshal.GetReference(y), (nuint)i))
                .StoreUnsafe(ref MemoryMarshal.GetReference(y), (nuint)i);
        for (; i < x.Length; i++) y[i] = x[i] + beta * y[i];
    }

    private static float MaxAbs(ReadOnlySpan<float> a)
    {
        var max = Vector<float>.Zero;
        int i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            max = Vector.Max(max, Vector.Abs(Vector.LoadUnsafe(ref MemoryMarshal.GetReference(a), (nuint)i)));
        float m = 0;
        for (int k = 0; k < Vector<float>.Count; k++) m = Math.Max(m, max[k]);
        for (; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i]));
        return m;
    }
}
