using Doppel.Core;
using Doppel.Faces.Alignment;
using Doppel.Faces.Extraction;
using Doppel.Faces.Tests.Landmarks;
using Doppel.Media.Imaging;
using Doppel.Media.Png;

namespace Doppel.Faces.Tests.Extraction;

public sealed class AlignmentsFileTests
{
    private static AlignmentsDocument Sample(int cropSize = 256)
    {
        var doc = new AlignmentsDocument { Generator = "doppel test", CropSize = cropSize, FaceFraction = 0.75, Template = MeanFace.Name, Detector = "blazeface" };
        var source = new SourceAlignments { Path = "/clips/a b+é.mp4", Kind = "video", Width = 360, Height = 288, EveryNth = 2, Complete = true };
        var face = new FaceAlignment([1.5, 2.25, 100, 120], 0.875,
            Enumerable.Range(0, 68).Select(i => new[] { i + 0.25f, 2 * i + 0.5f }).ToArray(),
            [1.0 / 3, -0.1, 12.345678901234, 0.1, 1.0 / 3, -7], "a_b-12345678_000002_0.png");
        source.Frames.Add(new FrameAlignments(0, []));
        source.Frames.Add(new FrameAlignments(2, [face]));
        doc.Sources.Add(source);
        return doc;
    }

    [Fact]
    public void Round_trips_header_sources_frames_and_faces()
    {
        using var dir = new TempDirectory();
        string path = dir.File("alignments.json");
        AlignmentsFile.Write(path, Sample());
        var back = AlignmentsFile.Read(path);
        Assert.Equal(("doppel test", 256, 0.75, MeanFace.Name, "blazeface"), (back.Generator, back.CropSize, back.FaceFraction, back.Template, back.Detector));
        var s = Assert.Single(back.Sources);
        Assert.Equal(("/clips/a b+é.mp4", "video", 360, 288, 2, true), (s.Path, s.Kind, s.Width, s.Height, s.EveryNth, s.Complete));
        Assert.Equal([0L, 2L], s.Frames.Select(f => f.Frame));
        Assert.Empty(s.Frames[0].Faces);
        var face = Assert.Single(s.Frames[1].Faces);
        Assert.Equal(Sample().Sources[0].Frames[1].Faces[0].Matrix, face.Matrix); // full precision
        Assert.Equal(new[] { 67.25f, 134.5f }, face.Landmarks[67]);
        Assert.Equal("a_b-12345678_000002_0.png", face.File);
        Assert.Contains("a b+é.mp4", File.ReadAllText(path)); // readable, not \u-escaped
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("{\"format\": \"something-else\"}")]
    [InlineData("{\"format\": \"doppel-alignments\", \"format_version\": 1}")]
    public void Damaged_or_foreign_files_are_a_clear_error(string text)
    {
        using var dir = new TempDirectory();
        string path = dir.File("alignments.json");
        File.WriteAllText(path, text);
        var e = Assert.Throws<DoppelException>(() => AlignmentsFile.Read(path));
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void Extracting_into_a_folder_of_another_crop_size_is_refused()
    {
        using var dir = new TempDirectory();
        AlignmentsFile.Write(dir.File("set/alignments.json"), Sample(cropSize: 128));
        string image = dir.File("flat.png");
        PngWriter.Write(image, new RgbImage(64, 64));
        var job = new ExtractJob(SharedExtractor.Default, dir.File("set"));
        var e = Assert.Throws<DoppelException>(() => job.Run(ExtractInput.Expand([image])));
        Assert.Contains("crop size 128", e.Message);
        Assert.Contains("--size", e.Hint);
    }
}
