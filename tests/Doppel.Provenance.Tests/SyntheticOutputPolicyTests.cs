using System.Security.Cryptography;
using Doppel.Core;
using Doppel.Media.Files;
using Doppel.Media.Imaging;
using Doppel.Provenance.Manifest;

namespace Doppel.Provenance.Tests;

/// <summary>
/// The synthetic-output policy: created outputs (a GAN sample) and composites (a swap) written
/// through it and read back with <see cref="ContentCredentials.VerifyFile"/>, the engine
/// <c>doppel verify</c> runs; the file appears labelled or not at all.
/// </summary>
public sealed class SyntheticOutputPolicyTests(IdentityFixture fx) : IClassFixture<IdentityFixture>, IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("doppel-policy-").FullName;

    public void Dispose() { try { Directory.Delete(dir, true); } catch (IOException) { } }

    private static RgbImage Sample(int seed)
    {
        var image = new RgbImage(24, 16);
        new Random(seed).NextBytes(image.Data);
        return image;
    }

    private string Weights()
    {
        string path = Path.Combine(dir, "generator.safetensors");
        var bytes = new byte[2048];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string[] Entries(string folder) => Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void ACreatedPng_VerifiesAsTrainedAlgorithmicMedia_WithTheWeightsAsItsOnlyIngredient()
    {
        string weights = Weights();
        string output = Path.Combine(dir, "samples", "sample_0001.png");
        RgbImage image = Sample(1);

        SyntheticOutputPolicy.Created([SyntheticOutputPolicy.Model(weights)], fx.Identity).Write(output, file => ImageFile.Write(file, image));

        ValidationReport r = ContentCredentials.VerifyFile(output);
        Assert.True(r.State == ValidationState.Valid, string.Join(", ", r.Failures.Select(f => f.Code)));
        Assert.Equal("PNG caBX chunk", r.Container);
        Assert.Equal("sample_0001.png", r.Title);
        Assert.Equal([$"{C2pa.Created} ({C2pa.TrainedAlgorithmicMedia})"], r.Actions);
        IngredientInfo model = Assert.Single(r.Ingredients);
        Assert.Equal(("generator.safetensors", "inputTo"), (model.Title, model.Relationship));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(weights))), model.Sha256);
        Assert.Equal(image.Data, ImageFile.Read(output).Data); // the label leaves the pixels alone
        Assert.Equal(["sample_0001.png"], Entries(Path.Combine(dir, "samples")));
    }

    [Fact]
    public void ACompositeOpensItsSourceThenEditsIt_WithTheModelAsAnInput()
    {
        string weights = Weights();
        string source = Path.Combine(dir, "source.png");
        ImageFile.Write(source, Sample(2));
        string output = Path.Combine(dir, "swapped.png");

        SyntheticOutputPolicy.Composite([SyntheticOutputPolicy.Model(weights)], fx.Identity).Write(output, file => ImageFile.Write(file, Sample(3)), source);

        ValidationReport r = ContentCredentials.VerifyFile(output);
        Assert.Equal(ValidationState.Valid, r.State);
        Assert.Equal([C2pa.Opened, $"{C2pa.Edited} ({C2pa.CompositeWithTrainedAlgorithmicMedia})"], r.Actions);
        Assert.Equal([("source.png", "parentOf"), ("generator.safetensors", "inputTo")], r.Ingredients.Select(i => (i.Title, i.Relationship)));
    }

    [Fact]
    public void AFormatWithoutAPlaceForAManifest_GetsASidecarThatFollowsItsName()
    {
        string output = Path.Combine(dir, "sample.raw");
        SyntheticOutputPolicy.Created([SyntheticOutputPolicy.Model(Weights())], fx.Identity).Write(output, file => File.WriteAllBytes(file, [1, 2, 3, 4, 5]));

        Assert.Equal(["generator.safetensors", "sample.raw", "sample.raw.c2pa"], Entries(dir));
        ValidationReport r = ContentCredentials.VerifyFile(output);
        Assert.Equal(ValidationState.Valid, r.State);
        Assert.Contains(C2pa.TrainedAlgorithmicMedia, r.Actions.Single());
    }

    [Fact]
    public void AFailedWriteOrLabelLeavesNothing_AndAnEarlierOutputUntouched()
    {
        string output = Path.Combine(dir, "out.png");
        File.WriteAllBytes(output, [9, 9, 9]);
        var policy = SyntheticOutputPolicy.Created([SyntheticOutputPolicy.Model(Path.Combine(dir, "missing.safetensors"))], fx.Identity);

        // The model named as ingredient is not there: labelling fails after the image was written.
        Assert.Throws<DoppelException>(() => policy.Write(output, file => ImageFile.Write(file, Sample(4))));
        Assert.Equal([9, 9, 9], File.ReadAllBytes(output));
        // The writer itself fails half way.
        Assert.Throws<IOException>(() => policy.Write(Path.Combine(dir, "half.png"), file => { File.WriteAllBytes(file, [1]); throw new IOException("disk gone"); }));
        Assert.Equal(["out.png"], Entries(dir));
    }

    [Fact]
    public void UnsignedWritesThePlainFile_TheSameWay()
    {
        string output = Path.Combine(dir, "plain.png");
        SyntheticOutputPolicy.Unsigned.Write(output, file => ImageFile.Write(file, Sample(5)));
        Assert.False(SyntheticOutputPolicy.Unsigned.Signs);
        Assert.Equal(ValidationState.NoManifest, ContentCredentials.VerifyFile(output).State);
        Assert.Equal(Sample(5).Data, ImageFile.Read(output).Data);
        Assert.Equal(["plain.png"], Entries(dir));
    }

    [Fact]
    public void ACreatedOutputHasNoSource_AndThePolicyRefusesOne()
    {
        string source = Path.Combine(dir, "source.png");
        ImageFile.Write(source, Sample(6));
        var created = SyntheticOutputPolicy.Created([], fx.Identity);
        Assert.Throws<ArgumentException>(() => created.Write(Path.Combine(dir, "x.png"), file => ImageFile.Write(file, Sample(7)), source));
        Assert.Throws<ArgumentException>(() => SyntheticOutputPolicy.Composite([new IngredientFile(source, IngredientRelationship.ParentOf)]));
        Assert.Equal(["source.png"], Entries(dir));
    }

    [Fact]
    public void AWriterThatRenamesItself_IsLabelledBeforeTheRename()
    {
        // As a video encoder does: it writes its own temporary file, runs the hook, then renames.
        string temporary = Path.Combine(dir, ".clip.tmp.png"), output = Path.Combine(dir, "clip.png");
        ImageFile.Write(temporary, Sample(8));
        var policy = SyntheticOutputPolicy.Created([SyntheticOutputPolicy.Model(Weights())], fx.Identity);
        policy.BeforeRename(output)!(temporary);
        File.Move(temporary, output);

        ValidationReport r = ContentCredentials.VerifyFile(output);
        Assert.Equal(ValidationState.Valid, r.State);
        Assert.Equal("clip.png", r.Title);
        Assert.Null(SyntheticOutputPolicy.Unsigned.BeforeRename(output));
    }
}
