using System.Buffers.Binary;
using System.Security.Cryptography;
using Doppel.Core;
using Doppel.Provenance.Assets;
using Doppel.Provenance.Cbor;
using Doppel.Provenance.Cose;
using Doppel.Provenance.Manifest;
using Xunit.Abstractions;

namespace Doppel.Provenance.Tests;

/// <summary>ContentCredentials end to end: labels, ingredients, sidecars, signing in place, damaged input.</summary>
public sealed class ContentCredentialsTests(IdentityFixture fx, ITestOutputHelper output) : IClassFixture<IdentityFixture>, IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("doppel-cc-").FullName;

    public void Dispose() { try { Directory.Delete(dir, true); } catch (IOException) { } }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void GeneratedImage_NamesTheModelAsAnInput_ByItsHash()
    {
        using var files = new IngredientFiles();
        var label = new SynthesisLabel { Ingredients = [new(files.Model, IngredientRelationship.InputTo)] };
        ValidationReport r = ManifestValidator.Validate(ContentCredentials.Sign(ProvenanceTests.TestPng(11), "gen.png", label, fx.Identity).Asset);
        Assert.Equal(ValidationState.Valid, r.State);
        Assert.Equal([$"{C2pa.Created} ({C2pa.TrainedAlgorithmicMedia})"], r.Actions);
        IngredientInfo model = Assert.Single(r.Ingredients);
        Assert.Equal(("model.bin", "inputTo", "application/octet-stream"), (model.Title, model.Relationship, model.Format));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(files.Model))), model.Sha256);
    }

    [Fact]
    public void CompositeWithParent_OpensTheSourceThenEditsIt()
    {
        using var files = new IngredientFiles();
        var label = new SynthesisLabel
        {
            Kind = SynthesisKind.Composite,
            Ingredients = [new(files.Source, IngredientRelationship.ParentOf), new(files.Model, IngredientRelationship.InputTo)],
        };
        ValidationReport r = ManifestValidator.Validate(ContentCredentials.Sign(ProvenanceTests.TestJpeg(12), "swap.jpg", label, fx.Identity).Asset);
        Assert.Equal(ValidationState.Valid, r.State);
        Assert.Equal([C2pa.Opened, $"{C2pa.Edited} ({C2pa.CompositeWithTrainedAlgorithmicMedia})"], r.Actions);
        Assert.Equal(["parentOf", "inputTo"], r.Ingredients.Select(i => i.Relationship));
        Assert.Equal("image/png", r.Ingredients[0].Format); // from the source's bytes
    }

    [Fact]
    public void ContradictoryLabels_AreRefusedWithAReason()
    {
        using var files = new IngredientFiles();
        byte[] png = ProvenanceTests.TestPng(13);
        var generatedWithParent = new SynthesisLabel { Ingredients = [new(files.Source, IngredientRelationship.ParentOf)] };
        Assert.Contains("no parent", Assert.Throws<DoppelException>(() => ContentCredentials.Sign(png, "x.png", generatedWithParent, fx.Identity)).Message);
        var twoParents = new SynthesisLabel { Kind = SynthesisKind.Composite, Ingredients = [new(files.Source, IngredientRelationship.ParentOf), new(files.Model, IngredientRelationship.ParentOf)] };
        Assert.Contains("at most one parent", Assert.Throws<DoppelException>(() => ContentCredentials.Sign(png, "x.png", twoParents, fx.Identity)).Message);
        var missing = new SynthesisLabel { Ingredients = [new(Path.Combine(dir, "nope.onnx"), IngredientRelationship.InputTo)] };
        Assert.Contains("ingredient not found", Assert.Throws<DoppelException>(() => ContentCredentials.Sign(png, "x.png", missing, fx.Identity)).Message);
    }

    [Fact]
    public void OtherFiles_GetASidecar_ThatCoversEveryByte()
    {
        var clip = new byte[3000];
        new Random(3).NextBytes(clip);
        clip[0] = 0; // neither PNG nor JPEG nor MP4
        string input = Write("clip.bin", clip), outPath = Path.Combine(dir, "out.bin");
        Assert.Equal("sidecar", ContentCredentials.SignFile(input, outPath, new SynthesisLabel(), fx.Identity));
        Assert.Equal(clip, File.ReadAllBytes(outPath)); // the asset itself is untouched
        Assert.True(File.Exists(outPath + ".c2pa"));

        ValidationReport ok = ContentCredentials.VerifyFile(outPath);
        Assert.Equal(ValidationState.Valid, ok.State);
        Assert.Equal("sidecar .c2pa file", ok.Container);
        Assert.Equal(ValidationState.Valid, ContentCredentials.VerifyFile(outPath + ".c2pa").State); // the .c2pa named directly
        string moved = Write("renamed.c2pa", File.ReadAllBytes(outPath + ".c2pa"));
        Assert.Equal(ValidationState.Valid, ContentCredentials.VerifyFile(outPath, moved).State);

        clip[1500] ^= 0x40;
        File.WriteAllBytes(outPath, clip);
        ValidationReport bad = ContentCredentials.VerifyFile(outPath);
        Assert.Equal(ValidationState.Invalid, bad.State);
        Assert.Contains(bad.Failures, c => c.Code == "assertion.dataHash.mismatch");
        Assert.Equal(ValidationState.NoManifest, ContentCredentials.VerifyFile(input).State);
    }

    [Theory]
    [InlineData("frame.png")]
    [InlineData("frame.jpg")]
    [InlineData("frame.bin")]
    public void SigningInPlace_ReplacesTheFile_AndLeavesNoTemporaries(string name)
    {
        byte[] original = name.EndsWith(".png") ? ProvenanceTests.TestPng(14) : name.EndsWith(".jpg") ? ProvenanceTests.TestJpeg(14) : [1, 2, 3, 4, 5];
        string path = Write(name, original);
        ContentCredentials.SignFile(path, path, new SynthesisLabel(), fx.Identity);
        ContentCredentials.SignFile(path, path, new SynthesisLabel { Kind = SynthesisKind.Composite }, fx.Identity); // again: replaced, not stacked
        ValidationReport r = ContentCredentials.VerifyFile(path);
        Assert.Equal(ValidationState.Valid, r.State);
        Assert.Equal(1, r.ManifestCount);
        Assert.Equal([$"{C2pa.Created} ({C2pa.CompositeWithTrainedAlgorithmicMedia})"], r.Actions);
        Assert.Equal(name, r.Title);
        Assert.Equal(name.EndsWith(".bin") ? [name, name + ".c2pa"] : [name], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void LargeManifest_SpansSeveralApp11Segments_EachWithinTheJpegLimit()
    {
        var builder = new ManifestBuilder("Doppel", "test");
        builder.Add(Assertion.Cbor("org.doppel.test.padding", new CborMap().Add("bytes", new byte[150_000])));
        byte[] jpg = ProvenanceTests.TestJpeg(15);
        byte[] signed = builder.Sign(new JpegEmbedder().Prepare(jpg, "big.jpg"), fx.Identity).Asset;
        var app11 = JpegSegments.Header(signed, "big").Where(s => s.Marker == JpegSegment.App11).ToList();
        output.WriteLine($"{app11.Count} APP11 segments: {string.Join(", ", app11.Select(s => s.Size))} bytes");
        Assert.Equal(3, app11.Count);
        Assert.All(app11, s => Assert.InRange(s.Size - 2, 1, 65535));
        Assert.All(app11, s => Assert.Equal(1 + app11.IndexOf(s), (int)BinaryPrimitives.ReadUInt32BigEndian(s.Contents(signed)[4..])));
        Assert.Equal(ValidationState.Valid, ManifestValidator.Validate(signed).State);
        Assert.Equal(ValidationState.Invalid, ManifestValidator.Validate(ProvenanceTests.TamperJpegImageData(signed)).State);
    }

    [Fact]
    public void TruncatedFiles_AreRefusedForSigning_AndNeverCrashVerify()
    {
        byte[] jpg = ProvenanceTests.TestJpeg(16), png = ProvenanceTests.TestPng(16);
        var e = Assert.Throws<DoppelException>(() => ContentCredentials.Sign(jpg[..40], "cut.jpg", new SynthesisLabel(), fx.Identity));
        Assert.StartsWith("cut.jpg: ", e.Message);
        Assert.Contains("cut short", e.Hint);
        Assert.Throws<DoppelException>(() => ContentCredentials.Sign(png[..(png.Length / 2)], "cut.png", new SynthesisLabel(), fx.Identity));

        byte[] signed = ContentCredentials.Sign(jpg, "t.jpg", new SynthesisLabel(), fx.Identity).Asset;
        int sosEnd = JpegSegments.Header(signed, "t")[^1].End;
        var seen = new Dictionary<string, int>();
        for (int cut = 3; cut < signed.Length; cut += 37)
        {
            string outcome;
            try { outcome = ManifestValidator.Validate(signed[..cut]).State.ToString(); }
            catch (DoppelException) { outcome = "error"; }
            seen[outcome] = seen.GetValueOrDefault(outcome) + 1;
            if (cut >= sosEnd) Assert.Equal("Invalid", outcome); // the header is whole: the data hash fails
        }
        output.WriteLine(string.Join(", ", seen.Select(kv => $"{kv.Key}: {kv.Value}")));
        Assert.DoesNotContain("Valid", seen.Keys);
    }

    [Fact]
    public void App11LengthsThatLie_GiveAClearError()
    {
        byte[] signed = ContentCredentials.Sign(ProvenanceTests.TestJpeg(17), "t.jpg", new SynthesisLabel(), fx.Identity).Asset;
        JpegSegment app11 = JpegSegments.Header(signed, "t").First(s => s.Marker == JpegSegment.App11);

        byte[] tooLong = (byte[])signed.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(tooLong.AsSpan(app11.Start + 2), 0xFFFF); // past the end of this small file
        var e = Assert.Throws<DoppelException>(() => ManifestValidator.Validate(tooLong, "long.jpg"));
        Assert.Contains("claims 65535 bytes", e.Message);

        byte[] tooShort = (byte[])signed.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(tooShort.AsSpan(app11.Start + 2), 1); // less than the length field itself
        Assert.Throws<DoppelException>(() => ManifestValidator.Validate(tooShort, "short.jpg"));

        // Shorter than the store: the walk lands inside the JUMBF (no marker there) or the store is cut.
        byte[] cut = (byte[])signed.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(cut.AsSpan(app11.Start + 2), (ushort)(app11.Size - 2 - 100));
        try { Assert.Equal(ValidationState.Invalid, ManifestValidator.Validate(cut, "cut.jpg").State); }
        catch (DoppelException x) { output.WriteLine(x.Message); }
        Assert.Throws<DoppelException>(() => ContentCredentials.Sign(tooLong, "long.jpg", new SynthesisLabel(), fx.Identity));
    }

    [Fact]
    public void KeyThatDoesNotMatchTheCertificate_IsAClearError()
    {
        using ECDsa other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string key = Path.Combine(dir, "other-key.pem");
        File.WriteAllText(key, other.ExportPkcs8PrivateKeyPem());
        var e = Assert.Throws<DoppelException>(() => SigningIdentity.Load(key, Path.Combine(fx.Directory, SigningIdentity.CertFile)));
        Assert.Contains("does not match the certificate", e.Message);
        Assert.NotNull(e.Hint);
        File.WriteAllText(key, "not a key");
        Assert.Contains("not a PEM EC private key", Assert.Throws<DoppelException>(() => SigningIdentity.Load(key, Path.Combine(fx.Directory, SigningIdentity.CertFile))).Message);
    }

    [Fact]
    public void Fuzz_MutatedJpegManifests_NeverCrash()
    {
        byte[] signed = ContentCredentials.Sign(ProvenanceTests.TestJpeg(18), "f.jpg", new SynthesisLabel(), fx.Identity).Asset;
        JpegSegment app11 = JpegSegments.Header(signed, "f").First(s => s.Marker == JpegSegment.App11);
        var rng = new Random(54321);
        int rejected = 0;
        for (int i = 0; i < 400; i++)
        {
            byte[] m = (byte[])signed.Clone();
            for (int k = 1 + rng.Next(4); k > 0; k--)
                m[app11.Start + 2 + rng.Next(app11.Size - 2)] = rng.Next(3) == 0 ? (byte)0xff : (byte)rng.Next(256);
            if (i % 10 == 0) m = m[..(app11.Start + 4 + rng.Next(app11.Size - 4))];
            try
            {
                if (ManifestValidator.Validate(m).State != ValidationState.Valid) rejected++;
            }
            catch (DoppelException) { rejected++; }
        }
        output.WriteLine($"{rejected} of 400 mutations rejected");
        Assert.True(rejected > 300);
    }
}
