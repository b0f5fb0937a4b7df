namespace Doppel.Faces.Detection;

/// <summary>A square (or, at an image edge, shorter) window of a scaled image that the network sees at its input size.</summary>
internal readonly record struct Tile(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
}

/// <summary>One scale of a tiled search: the image resized by <see cref="Scale"/> to <see cref="Width"/> x <see cref="Height"/>, and the tiles that cover it.</summary>
internal sealed record TileLevel(double Scale, int Width, int Height, IReadOnlyList<Tile> Tiles);

/// <summary>
/// Which finer scales a tiled search visits, for a network that takes <c>tile</c> px and finds
/// faces down to <c>smallestFace</c> px of its input. Seen whole (longer side scaled to the
/// tile) an image of longer side L shows faces down to smallestFace * L / tile px; each level
/// doubles the scale, so it reaches faces half as large, until the smallest face asked for is
/// within reach (the last level is scaled just enough for it, and never enlarged more than
/// <see cref="MaxScale"/>). Tiles overlap by half a tile: any face up to half a tile across lies
/// wholly inside one of them, and larger faces are the coarser levels' job.
/// </summary>
internal static class TilePlan
{
    /// <summary>Enlarging more than this adds pixels, not detail: the network does no better.</summary>
    public const double MaxScale = 2.0;

    public static List<TileLevel> For(int width, int height, int tile, double smallestFace, double minFaceSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var levels = new List<TileLevel>();
        double scale = (double)tile / Math.Max(width, height);
        // The smallest face reached so far, in source pixels; stop once it is no larger than asked.
        double reached = smallestFace / scale;
        double floor = Math.Max(minFaceSize, smallestFace / MaxScale);
        while (reached > floor * 1.05)
        {
            scale = Math.Min(scale * 2, smallestFace / floor);
            reached = smallestFace / scale;
            int w = Math.Max(1, (int)Math.Round(width * scale)), h = Math.Max(1, (int)Math.Round(height * scale));
            var tiles = new List<Tile>();
            foreach (var (y, th) in Spans(h, tile))
                foreach (var (x, tw) in Spans(w, tile))
                    tiles.Add(new Tile(x, y, tw, th));
            levels.Add(new TileLevel(scale, w, h, tiles));
        }
        return levels;
    }

    // Start positions along one axis: a single span when the axis fits, else evenly spread
    // tiles whose neighbours overlap by at least half a tile, the last one flush with the end.
    private static IEnumerable<(int Start, int Length)> Spans(int length, int tile)
    {
        if (length <= tile)
        {
            yield return (0, length);
            yield break;
        }
        int stride = tile / 2;
        int count = (length - tile + stride - 1) / stride + 1;
        for (int i = 0; i < count; i++)
            yield return ((int)Math.Round((double)i * (length - tile) / (count - 1)), tile);
    }
}
