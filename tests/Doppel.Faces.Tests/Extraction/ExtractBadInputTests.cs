using Doppel.Core;
using Doppel.Faces.Extraction;
using Doppel.Faces.Tests.Landmarks;
using Doppel.Media.Imaging;
using Doppel.Media.Png;

namespace Doppel.Faces.Tests.Extraction;

/// <summary>Inputs extract must refuse with a message and a hint, never a crash or a silent empty result.</summary>
public sealed class ExtractBadInputTests
{
    [Fact]
    public void Missing_file_names_the_path()
    {
        var e = Assert.Throws<DoppelException>(() => ExtractInput.Expand(["/no/such/clip.mp4"]));
        Assert.Contains("/no/such/clip.mp4", e.Message);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void No_input_at_all_is_an_error()
    {
        var e = Assert.Throws<DoppelException>(() => ExtractInput.Expand([]));
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void Folder_without_media_is_an_error()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("notes.txt"), "hello");
        var e = Assert.Throws<DoppelException>(() => ExtractInput.Expand([dir.Path]));
        Assert.Contains("no images or videos", e.Message);
    }

    [Fact]
    public void Folder_expands_to_its_media_sorted()
    {
        using var dir = new TempDirectory();
        foreach (string name in new[] { "b.mp4", "a.png", "c.txt", "d.JPG" }) File.WriteAllText(dir.File(name), "");
        var inputs = ExtractInput.Expand([dir.Path]);
        Assert.Equal(["a.png", "b.mp4", "d.JPG"], inputs.Select(i => Path.GetFileName(i.Path)));
        Assert.Equal([InputKind.Image, InputKind.Video, InputKind.Image], inputs.Select(i => i.Kind));
    }

    [Fact]
    public void Text_file_named_mp4_is_not_a_video()
    {
        using var dir = new TempDirectory();
        string fake = dir.File("fake.mp4");
        File.WriteAllText(fake, "this is not a video\n");
        var job = new ExtractJob(SharedExtractor.Default, dir.File("out"));
        var e = Assert.Throws<DoppelException>(() => job.Run(ExtractInput.Expand([fake])));
        Assert.Contains("fake.mp4", e.Message);
        Assert.False(File.Exists(dir.File("out/alignments.json")), "nothing is written when an input is rejected up front");
    }

    [Fact]
    public void Text_file_named_png_is_not_an_image()
    {
        using var dir = new TempDirectory();
        string fake = dir.File("fake.png");
        File.WriteAllText(fake, "this is not an image\n");
        var job = new ExtractJob(SharedExtractor.Default, dir.File("out"));
        var e = Assert.Throws<DoppelException>(() => job.Run(ExtractInput.Expand([fake])));
        Assert.Contains("fake.png", e.Message);
    }

    [Fact]
    public void Image_without_a_face_is_an_error_but_the_record_is_written()
    {
        using var dir = new TempDirectory();
        string flat = dir.File("flat.png");
        var image = new RgbImage(320, 240);
        image.Data.AsSpan().Fill(128);
        PngWriter.Write(flat, image);
        var job = new ExtractJob(SharedExtractor.Default, dir.File("out"));
        var e = Assert.Throws<DoppelException>(() => job.Run(ExtractInput.Expand([flat])));
        Assert.Contains("no face found", e.Message);
        Assert.Contains("--min-size", e.Hint);
        var doc = AlignmentsFile.Read(dir.File("out/alignments.json"));
        var frame = Assert.Single(Assert.Single(doc.Sources).Frames);
        Assert.Empty(frame.Faces);
    }
}
