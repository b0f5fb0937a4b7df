using Doppel.Core;
using Doppel.Faces.Extraction;
using Doppel.Media.Files;
using Doppel.Media.Imaging;
using Doppel.Media.Video;
using Doppel.Swap.Convert;
using Doppel.Swap.Convert.Output;
using Doppel.Swap.Models;
using Doppel.Swap.Tests.Support;

namespace Doppel.Swap.Tests.Convert;

/// <summary>
/// The convert paths the video tests do not take: a single image (PNG, JPEG), a folder of
/// images, drawing with the A decoder, and reusing an extract's alignments.json. A random tiny
/// (16 px) model keeps them fast; frames of franck.mp4 provide real faces.
/// </summary>
public class ConvertPathTests
{
    [Fact]
    public void APngPhotoIsConvertedOnlyAroundTheFace_WithPoissonBlending()
    {
        using var dir = new TempDir();
        string model = TinyModel(dir);
        string photo = WriteFrame(dir.Sub("photo.png"), 0);
        string output = dir.Sub("out/photo.png");

        var summary = new ConvertJob(new ConvertOptions { Input = photo, ModelDir = model, Output = output, Blend = "poisson" }, TextWriter.Null)
            { Extractor = ConvertFixtures.Extractor }.Run();

        Assert.Equal((1, 1, 1), (summary.Frames, summary.FramesWithFaces, summary.Faces));
        RgbImage before = ImageFile.Read(photo), after = ImageFile.Read(output);
        var box = FaceBox(before);
        var (outside, inside) = ConvertFixtures.Differences(before, after, box);
        Assert.Equal(0, outside); // PNG in, PNG out: nothing far from the face may change at all
        Assert.True(inside > 5, $"the face changed by only {inside:F2} on average");
        Assert.Empty(Directory.GetFiles(dir.Sub("out"), ".*"));
    }

    [Fact]
    public void AJpegPhotoGivesAJpegOfTheSameSizeWithANewFace()
    {
        using var dir = new TempDir();
        string model = TinyModel(dir);
        string photo = WriteFrame(dir.Sub("photo.jpg"), 12);
        string output = dir.Sub("out.jpg");

        new ConvertJob(new ConvertOptions { Input = photo, ModelDir = model, Output = output }, TextWriter.Null)
            { Extractor = ConvertFixtures.Extractor }.Run();

        RgbImage before = ImageFile.Read(photo), after = ImageFile.Read(output);
        Assert.Equal((before.Width, before.Height), (after.Width, after.Height));
        Span<byte> head = stackalloc byte[3];
        using (var file = File.OpenRead(output)) file.ReadExactly(head);
        Assert.True(head.SequenceEqual(new byte[] { 0xFF, 0xD8, 0xFF }), "the output is not a JPEG");
        var (outside, inside) = ConvertFixtures.Differences(before, after, FaceBox(before));
        Assert.True(outside < 2, $"far from the face the JPEG changed by {outside:F2} (re-encoding alone is about 1)");
        Assert.True(inside > 5, $"the face changed by only {inside:F2} on average");
    }

    [Fact]
    public void AFolderGivesAFolderWithTheSameNames_AndAFacelessImagePassesThroughUnchanged()
    {
        using var dir = new TempDir();
        string model = TinyModel(dir);
        string input = dir.Sub("stills");
        Directory.CreateDirectory(input);
        WriteFrame(Path.Combine(input, "a.png"), 0);
        WriteFrame(Path.Combine(input, "b.png"), 20);
        var plain = new RgbImage(160, 120);
        for (int y = 0; y < 120; y++)
            for (int x = 0; x < 160; x++)
                plain.SetPixel(x, y, (byte)(x + 40), (byte)(2 * y), 90);
        ImageFile.Write(Path.Combine(input, "c_no_face.png"), plain);
        File.WriteAllText(Path.Combine(input, "notes.txt"), "not an image");
        string output = dir.Sub("converted");

        var summary = new ConvertJob(new ConvertOptions { Input = input, ModelDir = model, Output = output }, TextWriter.Null)
            { Extractor = ConvertFixtures.Extractor }.Run();

        Assert.Equal(["a.png", "b.png", "c_no_face.png"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal((3, 2), (summary.Frames, summary.FramesWithFaces));
        Assert.Equal(plain.Data, ImageFile.Read(Path.Combine(output, "c_no_face.png")).Data);
        foreach (string name in new[] { "a.png", "b.png" })
        {
            RgbImage before = ImageFile.Read(Path.Combine(input, name)), after = ImageFile.Read(Path.Combine(output, name));
            Assert.True(ConvertFixtures.Differences(before, after, FaceBox(before)).Inside > 5, $"{name}: the face did not change");
        }
    }

    [Fact]
    public void InAFolderAnUnreadableOrHeicImageIsNamedAndSkipped_AndTheOthersAreConverted()
    {
        using var dir = new TempDir();
        string model = TinyModel(dir);
        string input = dir.Sub("stills");
        Directory.CreateDirectory(input);
        WriteFrame(Path.Combine(input, "a.png"), 0);
        File.WriteAllBytes(Path.Combine(input, "broken.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5]);
        File.WriteAllBytes(Path.Combine(input, "phone.heic"), [0, 0, 0, 24, .. "ftypheic"u8.ToArray(), 0, 0, 0, 0, .. "mif1heic"u8.ToArray()]);
        string output = dir.Sub("converted");
        var log = new StringWriter();

        var summary = new ConvertJob(new ConvertOptions { Input = input, ModelDir = model, Output = output }, log)
            { Extractor = ConvertFixtures.Extractor }.Run();

        Assert.Equal(["a.png"], Directory.GetFiles(output).Select(Path.GetFileName));
        Assert.Equal((1, 1), (summary.Frames, summary.FramesWithFaces));
        string text = log.ToString();
        Assert.Contains("convert: skipped broken.jpg: ", text);
        Assert.Contains("convert: skipped phone.heic: ", text);
        Assert.Contains("HEIC", text);
        Assert.Contains("2 of 3 images skipped: broken.jpg, phone.heic", text);

        // A folder of which nothing could be read is an error, not an empty success.
        File.Delete(Path.Combine(input, "a.png"));
        var e = Assert.Throws<DoppelException>(() => new ConvertJob(new ConvertOptions { Input = input, ModelDir = model, Output = dir.Sub("none") }, TextWriter.Null)
            { Extractor = ConvertFixtures.Extractor }.Run());
        Assert.Contains("none of the 2 images", e.Message);
    }

    [Fact]
    public void AFolderTakesTheImagesExtractTakes_AndWritesUnwritableFormatsAsPng()
    {
        using var dir = new TempDir();
        string model = TinyModel(dir);
        string input = dir.Sub("stills");
        Directory.CreateDirectory(input);
        WriteFrame(Path.Combine(input, "a.gif"), 0);
        WriteFrame(Path.Combine(input, "b.ppm"), 10);
        File.Move(WriteFrame(Path.Combine(input, "c.jpg"), 20), Path.Combine(input, "c.jfif")); // JPEG data; ffmpeg cannot write .jfif
        string output = dir.Sub("converted");

        // Extract and convert read one list: every image extract finds in the folder, convert converts.
        var extracted = ExtractInput.Expand([input]).Select(i => Path.GetFileName(i.Path)).ToList();
        var summary = new ConvertJob(new ConvertOptions { Input = input, ModelDir = model, Output = output }, TextWriter.Null)
            { Extractor = ConvertFixtures.Extractor }.Run();

        Assert.Equal(["a.gif", "b.ppm", "c.jfif"], extracted);
        Assert.Equal(3, summary.FramesWithFaces);
        // GIF and PPM have no C2PA embedder here, so their labels are sidecars; the PNG carries its own.
        Assert.Equal(["a.gif", "a.gif.c2pa", "b.ppm", "b.ppm.c2pa", "c.png"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ToADrawsWithTheADecoder()
    {
        using var dir = new TempDir();
        string model = TinyModel(dir);
        string photo = WriteFrame(dir.Sub("photo.png"), 0);
        string toB = dir.Sub("to_b.png"), toA = dir.Sub("to_a.png");

        new ConvertJob(new ConvertOptions { Input = photo, ModelDir = model, Output = toB, To = Side.B }, TextWriter.Null) { Extractor = ConvertFixtures.Extractor }.Run();
        new ConvertJob(new ConvertOptions { Input = photo, ModelDir = model, Output = toA, To = Side.A }, TextWriter.Null) { Extractor = ConvertFixtures.Extractor }.Run();

        RgbImage original = ImageFile.Read(photo), a = ImageFile.Read(toA), b = ImageFile.Read(toB);
        var box = FaceBox(original);
        Assert.True(ConvertFixtures.Differences(original, a, box).Inside > 5, "--to a left the face as it was");
        // Two random decoders draw two different faces on the same spot.
        var (outside, inside) = ConvertFixtures.Differences(a, b, box);
        Assert.Equal(0, outside);
        Assert.True(inside > 5, $"--to a and --to b differ by only {inside:F2} in the face");
    }

    [Fact]
    public void ReusedAlignmentsNeedNoDetector_AndGiveTheSameFramesAsDetecting()
    {
        using var dir = new TempDir();
        string model = TinyModel(dir);
        string clip = ConvertFixtures.ClipWithAudio(dir.Path, 6);
        string alignments = Extract(clip, dir.Sub("extract"), frames: null);

        string detected = dir.Sub("detected"), reused = dir.Sub("reused");
        new ConvertJob(Png(clip, model, detected), TextWriter.Null) { Extractor = ConvertFixtures.Extractor }.Run();
        new ConvertJob(Png(clip, model, reused) with { Alignments = alignments }, TextWriter.Null).Run();
        // The matrices are stored at full precision; the landmarks (which draw the hull mask) to
        // 0.01 px, so the mask's edge may round one level differently here and there.
        for (int i = 0; i < 6; i++)
        {
            byte[] a = ImageFile.Read(Path.Combine(detected, $"{i:D6}.png")).Data, b = ImageFile.Read(Path.Combine(reused, $"{i:D6}.png")).Data;
            int worst = 0, differing = 0;
            for (int k = 0; k < a.Length; k++)
            {
                int d = Math.Abs(a[k] - b[k]);
                worst = Math.Max(worst, d);
                if (d > 0) differing++;
            }
            Assert.True(worst <= 2 && differing < a.Length / 1000, $"frame {i}: {differing} values differ, by up to {worst}");
        }
        using (var source = new VideoReader(clip))
        {
            RgbImage first = source.Frames().First().Image;
            Assert.True(ConvertFixtures.Differences(first, ImageFile.Read(Path.Combine(reused, "000000.png")), FaceBox(first)).Inside > 5, "the reused alignments swapped nothing");
        }

        // The same alignments on a video of the same name in which no detector could find a face
        // (every frame mid-grey): the faces are still swapped where the file says they are.
        Directory.CreateDirectory(dir.Sub("blank"));
        string blank = dir.Sub("blank/clip.mp4");
        WriteGreyClip(blank, VideoProbe.Probe(clip), 6);
        string blankOut = dir.Sub("blank_out");
        // No colour matching here: matched to flat grey, any face would come out flat grey too.
        var summary = new ConvertJob(Png(blank, model, blankOut) with { Alignments = alignments, Color = "none" }, TextWriter.Null).Run();
        Assert.Equal(6, summary.FramesWithFaces);
        RgbImage grey = ImageFile.Read(Path.Combine(blankOut, "000000.png"));
        Assert.Contains(grey.Data, v => Math.Abs(v - 128) > 20);
    }

    [Fact]
    public void AFrameMissingFromTheAlignmentsIsAClearError_AndLeavesNoOutput()
    {
        using var dir = new TempDir();
        string model = TinyModel(dir);
        string clip = ConvertFixtures.ClipWithAudio(dir.Path, 6);
        string alignments = Extract(clip, dir.Sub("extract"), frames: 3);
        Directory.CreateDirectory(dir.Sub("out"));

        var e = Assert.Throws<DoppelException>(() =>
            new ConvertJob(new ConvertOptions { Input = clip, ModelDir = model, Output = dir.Sub("out/converted.mp4"), Alignments = alignments, BatchSize = 1 }, TextWriter.Null).Run());

        Assert.Contains("no entry for frame 3", e.Message);
        Assert.Contains("--alignments", e.Hint);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Sub("out")));
    }

    private static ConvertOptions Png(string input, string model, string output) =>
        new() { Input = input, ModelDir = model, Output = output, Format = OutputFormat.Png, BatchSize = 2, Threads = 1 };

    private static string TinyModel(TempDir dir) => ConvertFixtures.RandomModel(dir.Sub("model"), TinyModels.Tiny, "tiny");

    /// <summary>doppel extract on the clip (all frames, or the first <paramref name="frames"/>) with the shared extractor; returns alignments.json.</summary>
    private static string Extract(string clip, string folder, long? frames)
    {
        new ExtractJob(ConvertFixtures.Extractor, folder, new ExtractJobOptions { MaxFrames = frames, Threads = 1 }) { Output = TextWriter.Null }
            .Run([new ExtractInput(Path.GetFullPath(clip), InputKind.Video)]);
        return Path.Combine(folder, AlignmentsFile.FileName);
    }

    /// <summary>Frame <paramref name="index"/> of franck.mp4 written as an image (PNG or JPEG by extension).</summary>
    private static string WriteFrame(string path, long index)
    {
        using var reader = new VideoReader(ConvertFixtures.Franck, new VideoReadOptions { StartFrame = index, MaxFrames = 1 });
        ImageFile.Write(path, reader.Frames().First().Image);
        return path;
    }

    private static void WriteGreyClip(string path, VideoInfo like, int frames)
    {
        var grey = new RgbImage(like.Width, like.Height);
        Array.Fill(grey.Data, (byte)128);
        using var writer = VideoWriter.ForSource(path, like);
        for (int i = 0; i < frames; i++) writer.Write(grey);
        writer.Complete();
    }

    private static (double X, double Y, double W, double H) FaceBox(RgbImage image)
    {
        var faces = ConvertFixtures.Extractor.Extract(image);
        Assert.NotEmpty(faces);
        var b = faces[0].Detection.Box;
        return (b.X, b.Y, b.Width, b.Height);
    }

}
