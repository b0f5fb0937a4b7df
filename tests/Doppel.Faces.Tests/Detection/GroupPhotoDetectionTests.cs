using Doppel.Faces.Detection;
using Doppel.Faces.Evaluation;
using Doppel.Faces.Extraction;
using Doppel.Faces.Tests.Landmarks;
using Xunit.Abstractions;

namespace Doppel.Faces.Tests.Detection;

/// <summary>
/// Every face in a group photo, on <see cref="GroupPhotoSet"/>: real faces from the packages'
/// photos pasted at known sizes (most of them small) onto larger photos, and a real
/// three-person photo whole and shrunk. The every-scale search must find at least 95% of the
/// faces with at most one false face in 30; the whole-frame search that video frames get must
/// not (else the set would not test what it is for). Slow (the slowest tests of the project's
/// detection: about a second per photo on 2 cores); the fast check is EveryScaleSearchTests.
/// </summary>
[Collection(BlazeFaceRealVideoCollection.Name)]
public sealed class GroupPhotoDetectionTests(ITestOutputHelper output)
{
    private const double MinFaceSize = 20;

    private static readonly Lazy<IReadOnlyList<GroupPhoto>> Set = new(() =>
    {
        using var detector = FaceDetectorRegistry.Create("blazeface");
        return GroupPhotoSet.Build(detector);
    });

    private DetectionTally Measure(FaceSearch search)
    {
        using var detector = FaceDetectorRegistry.Create("blazeface");
        var total = new DetectionTally(0, 0, 0);
        foreach (GroupPhoto photo in Set.Value)
        {
            var tally = DetectionTally.Of(photo.Faces, detector.Detect(photo.Image, search).Select(f => f.Box).ToList(), MinFaceSize);
            output.WriteLine($"{photo.Name}: {tally.Found}/{tally.Faces} found, {tally.False} false");
            total += tally;
        }
        output.WriteLine($"total: {total.Found}/{total.Faces} found, {total.False} false");
        return total;
    }

    [Fact]
    public void Slow_every_scale_search_finds_95_percent_of_the_faces_with_at_most_one_false_in_30()
    {
        DetectionTally total = Measure(FaceSearch.EveryScale(MinFaceSize, allFaces: true));
        Assert.True(total.Faces >= 30, $"the set has {total.Faces} faces");
        Assert.True(total.FoundFraction >= 0.95, $"found {total.Found} of {total.Faces}");
        Assert.True(total.False * 30 <= total.Faces, $"{total.False} false faces among {total.Faces}");
    }

    [Fact]
    public void Slow_whole_frame_search_misses_the_small_faces()
    {
        DetectionTally total = Measure(FaceSearch.WholeFrame);
        Assert.True(total.FoundFraction < 0.8, $"the whole frame alone found {total.Found} of {total.Faces}: the set is too easy");
    }
}
