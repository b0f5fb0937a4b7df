using Doppel.Core;
using Doppel.Gan.Data;
using Doppel.Gan.Training;
using Doppel.Training;

namespace Doppel.Gan.Tests;

/// <summary>Face sets as GAN data: cut like the swap trainer's crops, several sets at once, bad folders refused.</summary>
public sealed class FaceImagesTests
{
    [Fact]
    public void TwoFaceSetsOfDifferentCropSizesBecomeOneSetOfSmallFaces()
    {
        using var dir = new TempDir();
        string a = SyntheticFaceSets.Write(Path.Combine(dir.Path, "a"), 6, 96, person: 0);
        string b = SyntheticFaceSets.Write(Path.Combine(dir.Path, "b"), 4, 128, person: 1);
        var faces = FaceImages.Load([a, b], 32);
        Assert.Equal((10, 32, 32, 3), (faces.Count, faces.Height, faces.Width, faces.Channels));
        var pixels = new float[32 * 32 * 3];
        faces.Write(9, pixels);
        Assert.All(pixels, v => Assert.InRange(v, 0f, 1f));
        Assert.True(pixels.Max() - pixels.Min() > 0.3f, "a face, not a flat image");
        var sets = faces.Describe()["sets"]!.AsArray();
        Assert.Equal(2, sets.Count);

        // And a few dcgan iterations on them run and write the preview grid and its timelapse.
        var task = new GanTask(GanSettings.For("dcgan") with { Size = 32, Features = 4, Batch = 4 }, faces, new GanTaskOptions { Timelapse = true });
        string run = Path.Combine(dir.Path, "run");
        new TrainingLoop<GanBatch>(task, new TrainingLoopOptions { OutputDir = run, Iterations = 2, SaveEvery = 0, PreviewEvery = 1, Log = TextWriter.Null }).Run();
        Assert.True(File.Exists(Path.Combine(run, "preview.png")));
        // Iterations 1 and 2; the final preview at the end is iteration 2's again, under the same name.
        Assert.Equal(["preview_00000001.png", "preview_00000002.png"], Directory.GetFiles(Path.Combine(run, "previews")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AMissingOrEmptyFolderIsAClearError()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<DoppelException>(() => FaceImages.Load([Path.Combine(dir.Path, "nobody")], 32));
        Assert.Contains("face set not found", e.Message);
        Directory.CreateDirectory(Path.Combine(dir.Path, "empty", "faces"));
        e = Assert.Throws<DoppelException>(() => FaceImages.Load([Path.Combine(dir.Path, "empty")], 32));
        Assert.Contains("has no faces", e.Message);
        e = Assert.Throws<DoppelException>(() => FaceImages.Load([], 32));
        Assert.Contains("no face sets", e.Message);
    }
}

/// <summary>The dcgan on real faces: crops of the two sample videos' men, cut as the swap trainer cuts them.</summary>
public sealed class RealFaceGanTests
{
    [Fact]
    public void TheDcganTrainsOnRealFaceSets()
    {
        using var dir = new TempDir();
        var (a, b) = Doppel.Swap.Tests.Support.RealFaceSets.Build(dir.Path);
        var faces = FaceImages.Load([a, b], 32);
        Assert.Equal(60, faces.Count);
        // Real faces: skin tones in the middle of the crop, far from a flat grey.
        var pixels = new float[32 * 32 * 3];
        faces.Write(0, pixels);
        int centre = (16 * 32 + 16) * 3;
        Assert.True(pixels[centre] > pixels[centre + 2], "the centre of a face crop is skin: more red than blue");

        var settings = GanSettings.For("dcgan") with { Size = 32, Features = 8, Batch = 8 };
        var task = new GanTask(settings, faces);
        var result = new TrainingLoop<GanBatch>(task, new TrainingLoopOptions { OutputDir = Path.Combine(dir.Path, "run"), Iterations = 4, SaveEvery = 0, PreviewEvery = 0, Log = TextWriter.Null }).Run();
        Assert.Equal(4, result.Metrics.Count);
        Assert.All(result.Metrics.Series("d_loss"), m => Assert.True(double.IsFinite(m.Value) && m.Value > 0));
        // The preview of the final checkpoint is a grid of 8x8 faces of 32 px with 2 px gaps, in colour.
        var grid = Doppel.Media.Png.PngReader.Read(Path.Combine(dir.Path, "run", "preview.png"));
        Assert.Equal((8 * 34 - 2, 8 * 34 - 2), (grid.Width, grid.Height));
    }
}
