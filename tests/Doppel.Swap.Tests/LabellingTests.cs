using Doppel.Media.Files;
using Doppel.Media.Video;
using Doppel.Provenance.Manifest;
using Doppel.Swap.Convert;
using Doppel.Swap.Models;
using Doppel.Swap.Tests.Convert;
using Doppel.Swap.Tests.Support;
using Doppel.Swap.Training;

namespace Doppel.Swap.Tests;

/// <summary>
/// Synthetic outputs are labelled by default: converted stills and sequences carry a valid C2PA
/// manifest naming the source and the model's weights, training previews are labelled, and
/// --no-sign (Sign = false) writes them without one.
/// </summary>
public class LabellingTests
{
    private static string FirstFrame(TempDir dir)
    {
        using var reader = new VideoReader(ConvertFixtures.Franck, new VideoReadOptions { MaxFrames = 1 });
        var frame = reader.Frames().First();
        string path = dir.Sub("frame.png");
        ImageFile.Write(path, frame.Image);
        return path;
    }

    [Fact]
    public void AConvertedImageIsLabelledAComposite_WithTheSourceAndTheModelAsIngredients()
    {
        using var dir = new TempDir();
        string input = FirstFrame(dir);
        string model = ConvertFixtures.RandomModel(dir.Sub("model"), OriginalSpec.Lite, "lite");
        string output = dir.Sub("out/swapped.png");

        new ConvertJob(new ConvertOptions { Input = input, ModelDir = model, Output = output }, TextWriter.Null) { Extractor = ConvertFixtures.Extractor }.Run();

        ValidationReport report = ManifestValidator.Validate(File.ReadAllBytes(output), output);
        Assert.True(report.State == ValidationState.Valid, string.Join(", ", report.Failures.Select(f => f.Code)));
        Assert.Contains(report.Actions, a => a.Contains(C2pa.CompositeWithTrainedAlgorithmicMedia));
        Assert.Contains(report.Ingredients, i => i.Title == "frame.png" && i.Relationship == "parentOf");
        Assert.Contains(report.Ingredients, i => i.Title == "model.safetensors" && i.Relationship == "inputTo");
        Assert.Equal(new[] { "swapped.png" }, Directory.GetFileSystemEntries(dir.Sub("out")).Select(Path.GetFileName));
    }

    [Fact]
    public void TheUsersOwnIdentitySignsWhenGiven()
    {
        using var dir = new TempDir();
        string input = FirstFrame(dir);
        string model = ConvertFixtures.RandomModel(dir.Sub("model"), OriginalSpec.Lite, "lite");
        string output = dir.Sub("mine.png");
        // The user's own key and certificate (--key/--cert), with a name the local key never has.
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Test User", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var mine = new Doppel.Provenance.Cose.SigningIdentity { Key = key, Chain = [certificate] };

        new ConvertJob(new ConvertOptions { Input = input, ModelDir = model, Output = output, Identity = mine }, TextWriter.Null)
            { Extractor = ConvertFixtures.Extractor }.Run();

        var report = ManifestValidator.Validate(File.ReadAllBytes(output), output);
        Assert.Equal(ValidationState.Valid, report.State);
        Assert.Equal("Test User", report.Signer);
    }

    [Fact]
    public void NoSignWritesTheSameImageWithoutAManifest()
    {
        using var dir = new TempDir();
        string input = FirstFrame(dir);
        string model = ConvertFixtures.RandomModel(dir.Sub("model"), OriginalSpec.Lite, "lite");
        string signed = dir.Sub("signed.png"), unsigned = dir.Sub("unsigned.png");

        new ConvertJob(new ConvertOptions { Input = input, ModelDir = model, Output = signed }, TextWriter.Null) { Extractor = ConvertFixtures.Extractor }.Run();
        new ConvertJob(new ConvertOptions { Input = input, ModelDir = model, Output = unsigned, Sign = false }, TextWriter.Null) { Extractor = ConvertFixtures.Extractor }.Run();

        Assert.Equal(ValidationState.NoManifest, ManifestValidator.Validate(File.ReadAllBytes(unsigned), unsigned).State);
        Assert.Equal(ImageFile.Read(signed).Data, ImageFile.Read(unsigned).Data);
    }

    [Fact]
    public void APngSequenceLabelsEveryFrame()
    {
        using var dir = new TempDir();
        string clip = ConvertFixtures.ClipWithAudio(dir.Path, 3);
        string model = ConvertFixtures.RandomModel(dir.Sub("model"), OriginalSpec.Lite, "lite");

        new ConvertJob(new ConvertOptions { Input = clip, ModelDir = model, Output = dir.Sub("frames"), Format = OutputFormat.Png }, TextWriter.Null)
            { Extractor = ConvertFixtures.Extractor }.Run();

        string[] frames = Directory.GetFiles(dir.Sub("frames"));
        Assert.Equal(3, frames.Length);
        foreach (string frame in frames)
        {
            var report = ManifestValidator.Validate(File.ReadAllBytes(frame), frame);
            Assert.Equal(ValidationState.Valid, report.State);
            Assert.Contains(report.Ingredients, i => i.Title == "clip.mp4" && i.Relationship == "parentOf");
        }
    }

    [Fact]
    public void AConvertedVideoCarriesItsManifestInside_AndStillPlays()
    {
        using var dir = new TempDir();
        string clip = ConvertFixtures.ClipWithAudio(dir.Path, 4);
        string model = ConvertFixtures.RandomModel(dir.Sub("model"), OriginalSpec.Lite, "lite");
        string output = dir.Sub("out/converted.mp4");

        new ConvertJob(new ConvertOptions { Input = clip, ModelDir = model, Output = output }, TextWriter.Null) { Extractor = ConvertFixtures.Extractor }.Run();

        var report = ManifestValidator.Validate(File.ReadAllBytes(output), output);
        Assert.True(report.State == ValidationState.Valid, string.Join(", ", report.Failures.Select(f => f.Code)));
        Assert.Contains(report.Ingredients, i => i.Title == "clip.mp4" && i.Relationship == "parentOf");
        Assert.Equal(new[] { "converted.mp4" }, Directory.GetFileSystemEntries(dir.Sub("out")).Select(Path.GetFileName));
        VideoInfo info = VideoProbe.Probe(output);
        Assert.Equal(4, info.FrameCount);
        Assert.True(info.HasAudio);
    }

    [Fact]
    public void TrainingPreviewsAreLabelled()
    {
        using var dir = new TempDir();
        var options = new TrainerOptions
        {
            FaceSetA = SyntheticFaceSets.Write(dir.Sub("a"), 6, 32, 0),
            FaceSetB = SyntheticFaceSets.Write(dir.Sub("b"), 6, 32, 1),
            ModelDir = dir.Sub("model"),
            Settings = new TrainSettings { Model = "tiny", BatchSize = 2, Seed = 3 },
            Models = TinyModels.Registry,
            Iterations = 2,
            SaveEvery = 0,
            PreviewEvery = 1,
            Timelapse = true,
            Log = TextWriter.Null,
        };
        new SwapTrainer(options).Run();

        foreach (string preview in Directory.GetFiles(dir.Sub("model"), "*.png", SearchOption.AllDirectories))
        {
            var report = ManifestValidator.Validate(File.ReadAllBytes(preview), preview);
            Assert.True(report.State == ValidationState.Valid, $"{preview}: {report.State}");
            Assert.Contains(report.Actions, a => a.Contains(C2pa.CompositeWithTrainedAlgorithmicMedia));
        }
        Assert.NotEmpty(Directory.GetFiles(dir.Sub("model/previews"), "*.png"));
    }
}
