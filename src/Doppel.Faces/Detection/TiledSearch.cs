using Doppel.Media.Geometry;
using Doppel.Media.Imaging;

namespace Doppel.Faces.Detection;

/// <summary>
/// Runs a network over the tiles of one <see cref="TileLevel"/>: the image is resized once for
/// the level, each tile is cut out and handed to the network's ordinary per-image call, and the
/// faces come back in source pixels. A face that crosses a tile's inner edge is dropped there:
/// its box would be a guess from half a face, and the overlapping neighbour sees it whole.
/// Tiles run in parallel (the network is thread-safe); the order of the result is the tiles'
/// order, whatever the threads did.
/// </summary>
internal static class TiledSearch
{
    public static List<FaceDetection> Run(BlazeFaceNetwork network, RgbImage image, TileLevel level, float minScore, float suppressionIoU)
    {
        RgbImage scaled = level.Width == image.Width && level.Height == image.Height ? image : ImageResize.Resize(image, level.Width, level.Height);
        var found = new List<FaceDetection>[level.Tiles.Count];
        Parallel.For(0, level.Tiles.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            Tile tile = level.Tiles[i];
            RgbImage window = scaled.Crop(tile.X, tile.Y, tile.Width, tile.Height);
            found[i] = [];
            foreach (FaceDetection face in network.Detect(window, minScore, suppressionIoU))
                if (Inside(face.Box, tile, level))
                    found[i].Add(ToSource(face, tile, level.Scale));
        });
        return found.SelectMany(f => f).ToList();
    }

    // Inner edges only: at the image's own border there is no neighbour to see the rest.
    private static bool Inside(DetectionBox box, Tile tile, TileLevel level) =>
        (tile.X == 0 || box.X >= 0) && (tile.Right == level.Width || box.Right <= tile.Width) &&
        (tile.Y == 0 || box.Y >= 0) && (tile.Bottom == level.Height || box.Bottom <= tile.Height);

    private static FaceDetection ToSource(FaceDetection face, Tile tile, double scale)
    {
        DetectionPoint Map(double x, double y) => new((tile.X + x) / scale, (tile.Y + y) / scale);
        DetectionPoint topLeft = Map(face.Box.X, face.Box.Y), bottomRight = Map(face.Box.Right, face.Box.Bottom);
        var box = new DetectionBox(topLeft.X, topLeft.Y, bottomRight.X - topLeft.X, bottomRight.Y - topLeft.Y);
        return new FaceDetection(box, face.Score, face.Keypoints.Select(p => Map(p.X, p.Y)).ToArray());
    }
}
