namespace Doppel.Faces.Detection;

/// <summary>
/// Anchor centres in normalised input coordinates ([0, 1] across the S x S input), in the
/// networks' output order: feature map by feature map, cell rows top to bottom, cells left to
/// right, then the anchors of a cell. A cell's anchors share its centre ((col + 0.5) / cells,
/// (row + 0.5) / cells), MediaPipe's anchor_offset 0.5; with fixed-size anchors they differ
/// only in what the network learnt for them.
/// </summary>
internal static class BlazeFaceAnchors
{
    /// <summary>(x, y) pairs, one per anchor.</summary>
    public static float[] Centers(BlazeFaceModel model)
    {
        var centers = new float[model.AnchorCount * 2];
        int k = 0;
        foreach (var layer in model.Layers)
        {
            int cells = layer.CellsPerSide(model.InputSize);
            for (int row = 0; row < cells; row++)
            for (int col = 0; col < cells; col++)
            for (int a = 0; a < layer.AnchorsPerCell; a++)
            {
                centers[k++] = (col + 0.5f) / cells;
                centers[k++] = (row + 0.5f) / cells;
            }
        }
        return centers;
    }
}
