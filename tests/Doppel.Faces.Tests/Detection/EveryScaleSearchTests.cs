using Doppel.Core;
using Doppel.Faces.Detection;
using Doppel.Faces.Evaluation;
using Doppel.Faces.Extraction;
using Doppel.Faces.Tests.Landmarks;
using Doppel.Media.Files;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;

namespace Doppel.Faces.Tests.Detection;

/// <summary>
/// The every-scale search on a real group photo: npm tracking's three-person photo shrunk to
/// 30% (faces of 26-29 px) in the middle of a grey picture three times its size, as a group
/// photo's far faces are. Seen whole, the networks get these faces at 2-4 input pixels and
/// miss them; the tiles find all three and nothing else. About a second on 2 cores.
/// </summary>
[Collection(BlazeFaceRealVideoCollection.Name)]
public sealed class EveryScaleSearchTests
{
    private const double Shrink = 0.3;

    private static readonly Lazy<(RgbImage Photo, IReadOnlyList<DetectionBox> Faces)> FarGroup = new(() =>
    {
        RgbImage trio = ImageFile.Read(DoppelPaths.NpmFile("tracking@1.1.3", "examples/assets/faces.jpg"));
        using var detector = FaceDetectorRegistry.Create("blazeface");
        // The true boxes: the detector's on the photo as it is, where the faces are large.
        var truth = detector.Detect(trio).Select(f => f.Box).ToList();
        Assert.Equal(3, truth.Count);
        RgbImage small = ImageResize.Resize(trio, (int)(trio.Width * Shrink), (int)(trio.Height * Shrink));
        var canvas = new RgbImage(trio.Width * 3, trio.Height * 3);
        canvas.Data.AsSpan().Fill(128);
        int ox = canvas.Width / 2, oy = canvas.Height / 3;
        for (int y = 0; y < small.Height; y++) small.Row(y).CopyTo(canvas.Row(oy + y).Slice(ox * 3, small.Width * 3));
        return (canvas, truth.Select(b => new DetectionBox(ox + b.X * Shrink, oy + b.Y * Shrink, b.Width * Shrink, b.Height * Shrink)).ToList());
    });

    private static DetectionTally Search(FaceSearch search)
    {
        var (photo, faces) = FarGroup.Value;
        using var detector = FaceDetectorRegistry.Create("blazeface");
        return DetectionTally.Of(faces, detector.Detect(photo, search).Select(f => f.Box).ToList(), minFaceSize: 20);
    }

    [Fact]
    public void Tiles_find_the_small_faces_of_a_real_photo_that_the_whole_frame_misses()
    {
        Assert.All(FarGroup.Value.Faces, f => Assert.InRange(f.Width, 20, 32));
        // Seen whole, the group is a blur that the networks score about 0.5 as one or two larger
        // faces: none of them is one of the three.
        Assert.Equal(0, Search(FaceSearch.WholeFrame).Found);
        Assert.Equal(new DetectionTally(3, 3, 0), Search(FaceSearch.EveryScale(20, allFaces: true)));
    }

    [Fact]
    public void Looking_for_the_largest_face_only_still_reaches_the_small_ones_when_nothing_larger_is_there()
    {
        DetectionTally largest = Search(FaceSearch.EveryScale(20, allFaces: false));
        Assert.True(largest.Found >= 1 && largest.False == 0, $"found {largest.Found}, false {largest.False}");
    }

    [Theory]
    [InlineData(20, 3)]
    [InlineData(40, 0)]
    public void Extract_searches_photos_down_to_min_size_and_keeps_nothing_smaller(double minSize, int expected)
    {
        var (photo, truth) = FarGroup.Value;
        using var extractor = new FaceExtractor(FaceExtractorOptions.Default with { Faces = FaceSelection.All, MinSize = minSize }, predictor: SharedLandmarkModel.Predictor);
        var faces = extractor.Extract(photo, photo: true);
        Assert.Equal(expected, faces.Count);
        Assert.All(faces, f => Assert.True(f.Detection.Box.Width >= minSize && f.Detection.Box.Height >= minSize));
        // The same picture as a video frame gets the whole-frame search (video keeps its speed),
        // which does not find the three.
        var asFrame = extractor.Extract(photo, photo: false).Select(f => f.Detection.Box).ToList();
        Assert.Equal(0, DetectionTally.Of(truth, asFrame, minFaceSize: 20).Found);
    }
}
