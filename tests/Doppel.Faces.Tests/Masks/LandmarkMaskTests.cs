using System.Numerics;
using Doppel.Faces.Alignment;
using Doppel.Faces.Masks;
using Doppel.Media.Imaging;

namespace Doppel.Faces.Tests.Masks;

public sealed class LandmarkMaskTests
{
    private static int Count(GrayImage m) => m.Data.Count(v => v == 255);

    [Fact]
    public void Hull_drops_inner_and_collinear_points()
    {
        Vector2[] points = [new(0, 0), new(10, 0), new(5, 0), new(10, 10), new(0, 10), new(5, 5), new(3, 7)];
        var hull = ConvexHull.Of(points);
        Assert.Equal(4, hull.Length);
        Assert.DoesNotContain(new Vector2(5, 5), hull);
        Assert.DoesNotContain(new Vector2(5, 0), hull);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    public void Square_polygon_fills_exactly_its_pixel_centres(int side)
    {
        var mask = new GrayImage(80, 80);
        // Corners half a pixel outside the centres 3..3+side-1.
        float a = 2.5f, b = 2.5f + side;
        PolygonFill.Fill(mask, [new(a, a), new(b, a), new(b, b), new(a, b)]);
        Assert.Equal(side * side, Count(mask));
        Assert.Equal(255, mask[3, 3]);
        Assert.Equal(0, mask[2, 3]);
    }

    [Fact]
    public void Polygon_outside_the_image_is_clipped()
    {
        var mask = new GrayImage(10, 10);
        PolygonFill.Fill(mask, [new(-100, -100), new(100, -100), new(100, 100), new(-100, 100)]);
        Assert.Equal(100, Count(mask));
    }

    [Fact]
    public void Face_mask_of_the_template_covers_the_face_and_contains_eyes_and_mouth()
    {
        var aligner = new FaceAligner();
        Vector2[] points = aligner.TemplateInCrop.ToArray();
        int size = aligner.Geometry.Size;
        GrayImage face = LandmarkMasks.Face(points, size, size);
        GrayImage eyes = LandmarkMasks.Eyes(points, size, size);
        GrayImage mouth = LandmarkMasks.Mouth(points, size, size);

        // The landmark box spans 0.75 of the side; a face hull fills a good part of that square.
        double faceFraction = Count(face) / (double)(size * size);
        Assert.InRange(faceFraction, 0.3, 0.56);
        Assert.InRange(Count(eyes), 1, Count(face) / 5);
        Assert.InRange(Count(mouth), 1, Count(face) / 5);
        for (int i = 0; i < face.Data.Length; i++)
        {
            if (eyes.Data[i] == 255 || mouth.Data[i] == 255) Assert.Equal(255, face.Data[i]);
        }
        // Both eyes, separately: pixels at each eye centre, none on the nose bridge between them.
        Vector2 right = Doppel.Faces.Tests.Alignment.MeanFaceTests.Average(points[LandmarkRegions.RightEye]), left = Doppel.Faces.Tests.Alignment.MeanFaceTests.Average(points[LandmarkRegions.LeftEye]);
        Assert.Equal(255, eyes[(int)MathF.Round(right.X), (int)MathF.Round(right.Y)]);
        Assert.Equal(255, eyes[(int)MathF.Round(left.X), (int)MathF.Round(left.Y)]);
        Vector2 between = (right + left) / 2;
        Assert.Equal(0, eyes[(int)MathF.Round(between.X), (int)MathF.Round(between.Y)]);
    }

    [Fact]
    public void Masks_move_with_the_alignment_matrix()
    {
        var aligner = new FaceAligner();
        Vector2[] template = aligner.TemplateInCrop.ToArray();
        // A face at half size, shifted: its crop-space landmarks are the template again.
        var toSource = Doppel.Media.Geometry.AffineMatrix.Scale(0.5, 0.5).Then(Doppel.Media.Geometry.AffineMatrix.Translation(40, 20));
        Vector2[] source = Umeyama.Transform(toSource, template);
        Vector2[] back = LandmarkMasks.InCrop(source, aligner.Align(source));
        for (int i = 0; i < back.Length; i++) Assert.True(Vector2.Distance(back[i], template[i]) < 1e-3);
        int inSource = Count(LandmarkMasks.Face(source, 256, 256)), inCrop = Count(LandmarkMasks.Face(back, 256, 256));
        Assert.InRange(inSource / (double)inCrop, 0.22, 0.28); // a quarter of the area at half the size
    }
}
