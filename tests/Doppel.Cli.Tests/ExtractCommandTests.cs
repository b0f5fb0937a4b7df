namespace Doppel.Cli.Tests;

/// <summary>
/// <c>doppel extract</c> from the command line: bad input gives one error line, a hint and exit
/// code 1 (the extraction itself is tested in Doppel.Faces.Tests).
/// </summary>
[Collection("Console")]
public sealed class ExtractCommandTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "doppel-extract-cli-" + Guid.NewGuid().ToString("N"));

    public ExtractCommandTests() => Directory.CreateDirectory(dir);

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Missing_file_is_a_one_line_error_with_a_hint()
    {
        var (code, _, error) = ConsoleCapture.Run("extract", Path.Combine(dir, "nope.mp4"), "-o", Path.Combine(dir, "out"));
        Assert.Equal(1, code);
        Assert.StartsWith("error: input not found: ", error);
        Assert.Contains("nope.mp4", error);
        Assert.Contains("\nhint: ", error);
    }

    [Fact]
    public void Output_folder_is_required()
    {
        var (code, _, error) = ConsoleCapture.Run("extract", "clip.mp4");
        Assert.Equal(1, code);
        Assert.Contains("output folder", error);
        Assert.Contains("-o DIR", error);
    }

    [Fact]
    public void Unknown_face_mode_names_the_choices()
    {
        var (code, _, error) = ConsoleCapture.Run("extract", "clip.mp4", "-o", dir, "--faces", "biggest");
        Assert.Equal(1, code);
        Assert.Contains("--faces", error);
        Assert.Contains("largest, all", error);
    }

    [Theory]
    [InlineData("-5", "must be at least 0")]
    [InlineData("big", "--min-size")]
    [InlineData("NaN", "--min-size")]
    public void Bad_min_size_is_refused_before_any_work(string value, string expected)
    {
        string output = Path.Combine(dir, "out");
        var (code, _, error) = ConsoleCapture.Run("extract", "clip.mp4", "-o", output, "--min-size", value);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error);
        Assert.Contains("--min-size", error);
        Assert.Contains(expected, error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Min_size_defaults_to_20_and_help_says_what_photos_get()
    {
        var (code, output, _) = ConsoleCapture.Run("extract", "--help");
        Assert.Equal(0, code);
        Assert.Contains("[--min-size 20]", output);
        Assert.Contains("every scale", output);
    }

    [Fact]
    public void Text_file_named_mp4_is_rejected()
    {
        string fake = Path.Combine(dir, "fake.mp4");
        File.WriteAllText(fake, "not a video");
        var (code, _, error) = ConsoleCapture.Run("extract", fake, "-o", Path.Combine(dir, "out"));
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error);
        Assert.Contains("fake.mp4", error);
        Assert.DoesNotContain("internal error", error);
    }

    [Fact]
    public void Png_claiming_32767_squared_says_what_is_wrong_and_leaves_no_folder()
    {
        // A 4x4 PNG whose header is edited to claim 32767 x 32767 (the IHDR CRC redone).
        byte[] png = Doppel.Media.Png.PngWriter.Encode(new Doppel.Media.Imaging.RgbImage(4, 4));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 32767);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 32767);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Doppel.Core.Crc32.Compute(png.AsSpan(12, 17)));
        string bomb = Path.Combine(dir, "huge.png");
        File.WriteAllBytes(bomb, png);
        string output = Path.Combine(dir, "out");
        var (code, _, error) = ConsoleCapture.Run("extract", bomb, "-o", output);
        Assert.Equal(1, code);
        Assert.StartsWith($"error: {bomb}: the PNG header says 32767 x 32767 pixels", error);
        Assert.Contains("\nhint: ", error);
        Assert.False(Directory.Exists(output), "no empty alignments.json and faces/ left behind");
    }

    [Fact]
    public void Help_describes_every_option_and_the_output()
    {
        var (code, output, _) = ConsoleCapture.Run("extract", "--help");
        Assert.Equal(0, code);
        Assert.StartsWith("usage: doppel extract", output);
        foreach (string option in new[] { "--out", "--faces", "--every", "--min-size", "--min-score", "--size", "--max-frames", "alignments.json" })
            Assert.Contains(option, output);
    }
}
