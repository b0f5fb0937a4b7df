using Doppel.Media.Imaging;

namespace Doppel.Swap.Convert.Blend;

/// <summary>
/// Seamless cloning (Pérez, Gangnet and Blake, "Poisson image editing", 2003): inside the mask
/// the result keeps the new face's gradients, and on the mask's edge it equals the frame, so the
/// face takes on the frame's colour and light there and no seam is left, even when the colour
/// matcher missed. Per channel, writing the result as face + d, the Poisson equation with the
/// face's gradients as guidance becomes Laplace's equation for d: d is the smooth (harmonic)
/// membrane that equals frame - face just outside the region, which is what
/// <see cref="MaskedLaplaceSolver"/> computes.
/// <para>
/// The region is every pixel whose feathered alpha is above zero, so the whole soft edge is
/// cloned; the alpha then mixes the cloned face into the frame as <see cref="FeatherBlender"/>
/// mixes the raw one, and the edge stays soft even where the face's own gradients are strong.
/// Where the patch box touches the frame's border the region has no frame beyond it: the
/// equation there has a free (Neumann) edge. A region with no edge on the frame at all (the mask
/// covers the whole frame) has nothing to match, and gets the face as the feather blend would.
/// </para>
/// Safe to share between threads: the solver's scratch is per thread ([ThreadStatic]), reused from face to face.
/// </summary>
public sealed class PoissonBlender : IBlender
{
    // Residual targets: the right-hand side is the boundary mismatch in grey levels (summed
    // over up to four edges); 2e-3 of its largest value, about four iterations, leaves the
    // membrane within about a tenth of a level of the exact solution (measured against a
    // double-precision SOR solve), and 0.02 absolute stops a region that already matches.
    private const float RelativeTolerance = 2e-3f, AbsoluteTolerance = 0.02f;
    private const int MaxIterations = 30;

    [ThreadStatic] private static Scratch? t_scratch;

    /// <summary>Solver iterations for the last channel of the last blend on this thread (for tests and tuning).</summary>
    internal static int LastIterations => t_scratch?.Solver.Iterations ?? 0;

    public void Blend(RgbImage frame, FacePatch patch)
    {
        int w = patch.Face.Width, h = patch.Face.Height;
        if (patch.Alpha.Width != w || patch.Alpha.Height != h)
            throw new ArgumentException($"the mask is {patch.Alpha.Width}x{patch.Alpha.Height}, the face {w}x{h}", nameof(patch));
        if (patch.X < 0 || patch.Y < 0 || patch.X + w > frame.Width || patch.Y + h > frame.Height)
            throw new ArgumentException($"the patch {patch.X},{patch.Y} {w}x{h} is not inside the {frame.Width}x{frame.Height} frame", nameof(patch));

        if (RegionBounds(patch.Alpha) is not { } region) return; // an empty mask: nothing to blend
        var scratch = t_scratch ??= new Scratch();
        BuildOperator(frame, patch, region, scratch);
        scratch.Solver.Prepare();
        for (int c = 0; c < RgbImage.Channels; c++)
        {
            FillBoundary(frame, patch, scratch, c);
            scratch.Solver.Solve(RelativeTolerance, AbsoluteTolerance, MaxIterations);
            Composite(frame, patch, region, scratch.Solver.Fine, scratch.Solver.Solution, c);
        }
    }

    /// <summary>
    /// The bounding box of alpha above 0, in patch pixels; null when there is none. The solver's
    /// grid covers only this: the patch box is the bounding box of the (rotated) model square,
    /// whose corners the mask never reaches, and every cell saved is saved in every pass.
    /// </summary>
    private static Region? RegionBounds(GrayImage alpha)
    {
        int x0 = int.MaxValue, x1 = -1, y0 = -1, y1 = -1;
        for (int y = 0; y < alpha.Height; y++)
        {
            ReadOnlySpan<byte> row = alpha.Row(y);
            int first = row.IndexOfAnyExcept((byte)0);
            if (first < 0) continue;
            if (y0 < 0) y0 = y;
            y1 = y;
            x0 = Math.Min(x0, first);
            x1 = Math.Max(x1, row.LastIndexOfAnyExcept((byte)0));
        }
        return y0 < 0 ? null : new Region(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    /// <summary>
    /// The discrete Laplacian on the region (alpha above 0): a coupling of 1 between
    /// neighbouring region pixels, and a diagonal counting every neighbour that exists in the
    /// frame (region or not; beyond the frame's border there is none). Each neighbour outside the
    /// region is listed as a boundary edge for <see cref="FillBoundary"/>. The grid's cell (0, 0)
    /// is the region box's corner.
    /// </summary>
    private static void BuildOperator(RgbImage frame, FacePatch patch, Region region, Scratch scratch)
    {
        int w = patch.Face.Width, h = patch.Face.Height, fw = frame.Width, fh = frame.Height;
        MultigridLevel grid = scratch.Solver.Fine;
        grid.Reset(region.W, region.H);
        scratch.Edges.Clear();
        Span<float> diag = grid.Diag, east = grid.East, south = grid.South;
        byte[] alpha = patch.Alpha.Data;
        for (int y = region.Y; y < region.Y + region.H; y++)
        {
            int fy = patch.Y + y;
            for (int x = region.X; x < region.X + region.W; x++)
            {
                int a = y * w + x;
                if (alpha[a] == 0) continue;
                int fx = patch.X + x, i = grid.Index(x - region.X, y - region.Y), neighbours = 0;
                // Left, right, up, down.
                for (int n = 0; n < 4; n++)
                {
                    int dx = n switch { 0 => -1, 1 => 1, _ => 0 }, dy = n switch { 2 => -1, 3 => 1, _ => 0 };
                    int nx = x + dx, ny = y + dy, gx = fx + dx, gy = fy + dy;
                    if (gx < 0 || gy < 0 || gx >= fw || gy >= fh) continue; // beyond the frame: a free edge
                    neighbours++;
                    bool inBox = nx >= 0 && ny >= 0 && nx < w && ny < h;
                    if (inBox && alpha[ny * w + nx] != 0)
                    {
                        if (n == 1) east[i] = 1;
                        else if (n == 3) south[i] = 1;
                        continue;
                    }
                    // Outside the box there is no face pixel: the face's edge pixel stands in (the face was warped with a replicated border).
                    scratch.Edges.Add(new BoundaryEdge(i, (gy * fw + gx) * 3, (inBox ? ny * w + nx : a) * 3));
                }
                diag[i] = neighbours;
            }
        }
        grid.Finish();
    }

    /// <summary>F = sum over each region pixel's boundary edges of (frame - face) across the edge, in channel <paramref name="c"/>.</summary>
    private static void FillBoundary(RgbImage frame, FacePatch patch, Scratch scratch, int c)
    {
        Span<float> f = scratch.Solver.Fine.F;
        f.Clear();
        byte[] face = patch.Face.Data, image = frame.Data;
        foreach (var edge in scratch.Edges)
            f[edge.Cell] += image[edge.FrameAt + c] - face[edge.FaceAt + c];
    }

    /// <summary>frame = frame + alpha (face + d - frame) where alpha is above 0, in channel <paramref name="c"/>.</summary>
    private static void Composite(RgbImage frame, FacePatch patch, Region region, MultigridLevel grid, ReadOnlySpan<float> d, int c)
    {
        for (int y = 0; y < region.H; y++)
        {
            int py = region.Y + y, px = region.X;
            Span<byte> row = frame.Row(patch.Y + py).Slice((patch.X + px) * 3, region.W * 3);
            ReadOnlySpan<byte> face = patch.Face.Row(py)[(px * 3)..], alpha = patch.Alpha.Row(py)[px..];
            int gi = grid.Index(0, y);
            for (int x = 0; x < region.W; x++)
            {
                int a = alpha[x];
                if (a == 0) continue;
                int i = x * 3 + c;
                float cloned = Math.Clamp(face[i] + d[gi + x], 0f, 255f);
                float mixed = row[i] + a * (1f / 255f) * (cloned - row[i]);
                row[i] = (byte)(mixed + 0.5f);
            }
        }
    }

    /// <summary>A box in patch pixels.</summary>
    private readonly record struct Region(int X, int Y, int W, int H);

    /// <summary>A region pixel (its grid cell) next to a boundary pixel: byte offsets of that pixel in the frame and of its face value.</summary>
    private readonly record struct BoundaryEdge(int Cell, int FrameAt, int FaceAt);

    /// <summary>One thread's solver and edge list, reused from face to face.</summary>
    private sealed class Scratch
    {
        public MaskedLaplaceSolver Solver { get; } = new();
        public List<BoundaryEdge> Edges { get; } = [];
    }
}
