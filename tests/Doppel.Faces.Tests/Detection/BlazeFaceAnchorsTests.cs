using Doppel.Faces.Detection;

namespace Doppel.Faces.Tests.Detection;

public class BlazeFaceAnchorsTests
{
    [Fact]
    public void BothModels_Have896AnchorsInTwoMaps()
    {
        foreach (var model in new[] { BlazeFaceModel.Front, BlazeFaceModel.Back })
        {
            Assert.Equal(896, model.AnchorCount);
            Assert.Equal([512, 384], model.Layers.Select(l => l.AnchorCount(model.InputSize)));
            Assert.Equal(896 * 2, BlazeFaceAnchors.Centers(model).Length);
        }
    }

    [Fact]
    public void Anchors_RunCellByCellWithACellsAnchorsTogether()
    {
        float[] c = BlazeFaceAnchors.Centers(BlazeFaceModel.Front);
        (float X, float Y) At(int i) => (c[2 * i], c[2 * i + 1]);
        Assert.Equal((0.5f / 16, 0.5f / 16), At(0));
        Assert.Equal(At(0), At(1)); // two anchors in the first cell
        Assert.Equal((1.5f / 16, 0.5f / 16), At(2)); // next cell to the right
        Assert.Equal((0.5f / 16, 1.5f / 16), At(32)); // next row: 16 cells x 2 anchors later
        Assert.Equal((15.5f / 16, 15.5f / 16), At(511));
        Assert.Equal((0.5f / 8, 0.5f / 8), At(512)); // the coarse map starts
        Assert.Equal(At(512), At(517)); // six anchors per cell
        Assert.Equal((1.5f / 8, 0.5f / 8), At(518));
        Assert.Equal((7.5f / 8, 7.5f / 8), At(895));
    }
}
