using Doppel.Faces.Detection;
using Doppel.Faces.Landmarks;

namespace Doppel.Faces.Tests.Detection;

public class DetectionBoxTests
{
    [Fact]
    public void IoU_OfKnownBoxes()
    {
        var a = new DetectionBox(0, 0, 10, 10);
        Assert.Equal(1, a.IoU(a), 12);
        Assert.Equal(50.0 / 150, a.IoU(new DetectionBox(5, 0, 10, 10)), 12);
        Assert.Equal(0, a.IoU(new DetectionBox(10, 0, 10, 10)));
        Assert.Equal(0, a.IoU(new DetectionBox(3, 3, 0, 0)));
        Assert.Equal(25.0 / 100, a.IoU(new DetectionBox(2.5, 2.5, 5, 5)), 12);
    }

    [Fact]
    public void DlibRectangles_CoverTheSamePixels()
    {
        var dlib = new FaceBox(128, 78, 277, 228); // inclusive right and bottom
        var box = DetectionBox.FromFaceBox(dlib);
        Assert.Equal(new DetectionBox(128, 78, 150, 151), box);
        Assert.Equal(dlib, box.ToFaceBox());
    }
}
