using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Doppel.Core;
using Doppel.Media.Imaging;
using Doppel.Media.Png;
using Doppel.Provenance.Assets;
using Doppel.Provenance.Cbor;
using Doppel.Provenance.Cose;
using Doppel.Provenance.Jumbf;
using Doppel.Provenance.Manifest;
using Xunit.Abstractions;

namespace Doppel.Provenance.Tests;

/// <summary>One local identity per test run, in a temporary folder.</summary>
public sealed class IdentityFixture : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "doppel-c2pa-" + Guid.NewGuid().ToString("N"));
    public SigningIdentity Identity { get; }
    public IdentityFixture() => Identity = SigningIdentity.LoadOrCreateLocal(Directory);
    public void Dispose() { Identity.Dispose(); try { System.IO.Directory.Delete(Directory, true); } catch (IOException) { } }
}

public class ProvenanceTests(IdentityFixture fx, ITestOutputHelper output) : IClassFixture<IdentityFixture>
{
    // shared/ sits beside the repository (CI and developer checkouts); /work/shared is the usual place.
    internal static readonly string ReferenceDir = new[]
    {
        Path.GetFullPath(Path.Combine(SourceRoot(), "..", "shared", "data", "c2pa")),
        "/work/shared/data/c2pa",
    }.FirstOrDefault(Directory.Exists) ?? "/work/shared/data/c2pa";

    private static string SourceRoot([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    internal static byte[] TestPng(int seed = 1)
    {
        var img = new RgbImage(32, 24);
        var rng = new Random(seed);
        for (int y = 0; y < 24; y++)
            for (int x = 0; x < 32; x++)
                img.Data[(y * 32 + x) * 3] = (byte)rng.Next(256);
        return PngWriter.Encode(img);
    }

    /// <summary>
    /// A small JPEG (random pixels, encoded by ffmpeg) given an APP0 JFIF and an APP1 XMP
    /// segment after SOI, as cameras and editors write them, so placement after them is tested.
    /// </summary>
    internal static byte[] TestJpeg(int seed = 1)
    {
        var img = new RgbImage(48, 32);
        new Random(seed).NextBytes(img.Data);
        string path = Path.Combine(Path.GetTempPath(), $"doppel-test-{Guid.NewGuid():N}.jpg");
        byte[] encoded;
        try
        {
            Doppel.Media.Files.ImageFile.Write(path, img);
            encoded = File.ReadAllBytes(path);
        }
        finally { File.Delete(path); }
        byte[] app0 = [0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
        byte[] xmp = [.. "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"u8];
        byte[] app1 = [0xFF, 0xE1, (byte)((xmp.Length + 2) >> 8), (byte)(xmp.Length + 2), .. xmp];
        return [.. encoded.AsSpan(0, 2), .. app0, .. app1, .. encoded.AsSpan(2)];
    }

    /// <summary>Changes one byte of the entropy-coded image data (a byte that is neither FF nor follows FF, so the markers stay intact).</summary>
    internal static byte[] TamperJpegImageData(byte[] jpg)
    {
        byte[] copy = (byte[])jpg.Clone();
        int sosEnd = JpegSegments.Header(copy, "jpg")[^1].End;
        for (int i = sosEnd + (copy.Length - sosEnd) / 2; i < copy.Length - 2; i++)
            if (copy[i] is not 0xFF and not 0x00 and not 0xFE && copy[i - 1] != 0xFF) { copy[i] ^= 0x01; return copy; }
        throw new InvalidOperationException("no byte to change");
    }

    /// <summary>A PNG signed as fully generated, the default label.</summary>
    internal static byte[] SignPng(byte[] png, SigningIdentity identity) =>
        ContentCredentials.Sign(png, "test.png", new SynthesisLabel(), identity).Asset;

    [Fact]
    public void Cbor_RoundTrips_And_RejectsOverlongLengths()
    {
        var map = new CborMap().Add("a", 1L).Add(-7L, new List<object?> { "x", new byte[] { 1, 2 }, true, null, -300L, 70000L });
        byte[] enc = CborWriter.Encode(map);
        var back = (CborMap)CborReader.Decode(enc)!;
        Assert.Equal(1L, back["a"]);
        Assert.Equal(enc, CborWriter.Encode(back));
        // a byte string claiming 4 GB, an array claiming 2^32 items: errors, no allocation
        Assert.Throws<CborException>(() => CborReader.Decode([0x5a, 0xff, 0xff, 0xff, 0xf0, 0x00]));
        Assert.Throws<CborException>(() => CborReader.Decode([0x9b, 0, 0, 0, 1, 0, 0, 0, 0]));
        Assert.Throws<CborException>(() => CborReader.Decode([0xbb, 0x7f, 0, 0, 0, 0, 0, 0, 0]));
    }

    [Fact]
    public void Jumbf_RejectsBoxesLongerThanTheirContainer()
    {
        byte[] box = JumbfWriter.Superbox("c2pa", "c2pa", JumbfWriter.Box("cbor", [0xa0]));
        var read = JumbfReader.ReadBox(box);
        Assert.Equal("c2pa", read.Label);
        Assert.Equal("c2pa", read.Description!.TypeCode);
        box[0] = 0x7f; // claims ~2 GB
        Assert.Throws<JumbfException>(() => JumbfReader.ReadBox(box));
        byte[] xl = [0, 0, 0, 1, (byte)'j', (byte)'u', (byte)'m', (byte)'b', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        Assert.Throws<JumbfException>(() => JumbfReader.ReadBox(xl));
    }

    [Fact]
    public void Ps256Signature_Verifies_WithAnRsaPssKeyCertificate()
    {
        // A certificate whose key is id-RSASSA-PSS (as the C2PA test signers' are), which .NET
        // will not open with GetRSAPublicKey; the signature must still check, and fail when changed.
        using RSA rsa = RSA.Create(2048);
        var spki = new PublicKey(new Oid(CertificateKeys.RsaPssOid), new AsnEncodedData([0x30, 0x00]), new AsnEncodedData(rsa.ExportRSAPublicKey()));
        var request = new CertificateRequest(new X500DistinguishedName("CN=PSS signer"), spki, HashAlgorithmName.SHA256);
        var generator = X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pss);
        using X509Certificate2 cert = request.Create(new X500DistinguishedName("CN=PSS signer"), generator, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1]);
        Assert.Null(cert.GetRSAPublicKey());

        byte[] claim = CborWriter.Encode(new CborMap().Add("alg", "sha256"));
        byte[] prot = CborWriter.Encode(new CborMap().Add(1L, (long)CoseSign1.AlgPs256).Add(33L, new List<object?> { cert.RawData }));
        byte[] signature = rsa.SignData(CoseSign1.SigStructure(prot, claim), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        byte[] cose = CborWriter.Encode(new CborTag(18, new List<object?> { prot, new CborMap(), null, signature }));

        CoseSign1 parsed = CoseSign1.Parse(cose);
        Assert.True(parsed.Verify(claim, cert));
        claim[^1] ^= 1;
        Assert.False(parsed.Verify(claim, cert));
    }

    [Fact]
    public void LocalIdentity_IsUserOnly_AndNotSelfSigned()
    {
        if (!OperatingSystem.IsWindows())
            foreach (string f in new[] { SigningIdentity.KeyFile, SigningIdentity.CertFile })
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(fx.Directory, f)));
        Assert.NotEqual(fx.Identity.Certificate.Subject, fx.Identity.Certificate.Issuer);
        using var again = SigningIdentity.LoadOrCreateLocal(fx.Directory);
        Assert.Equal(fx.Identity.Certificate.Thumbprint, again.Certificate.Thumbprint);
    }

    [Fact]
    public void SignedPng_Verifies_AndTamperingIsReported()
    {
        byte[] signed = SignPng(TestPng(), fx.Identity);
        Assert.NotNull(PngReader.Decode(signed)); // still a readable PNG
        ValidationReport ok = ManifestValidator.Validate(signed);
        foreach (var c in ok.Codes) output.WriteLine($"{c.Failure} {c.Code} {c.Explanation}");
        Assert.Equal(ValidationState.Valid, ok.State);
        Assert.Contains(ok.Codes, c => c.Code == "claimSignature.validated");
        Assert.Contains(ok.Codes, c => c.Code == "assertion.dataHash.match");
        Assert.Contains(ok.Codes, c => c.Code == "signingCredential.untrusted");
        Assert.Contains(ok.Actions, a => a.Contains(C2pa.TrainedAlgorithmicMedia));

        byte[] tampered = TamperPixelData(signed);
        ValidationReport bad = ManifestValidator.Validate(tampered);
        Assert.Equal(ValidationState.Invalid, bad.State);
        Assert.Contains(bad.Failures, c => c.Code == "assertion.dataHash.mismatch");

        Assert.Equal(ValidationState.NoManifest, ManifestValidator.Validate(TestPng()).State);
    }

    [Fact]
    public void SignedJpeg_Verifies_StaysDecodable_AndTamperingIsReported()
    {
        byte[] jpg = TestJpeg();
        byte[] signed = ContentCredentials.Sign(jpg, "test.jpg", new SynthesisLabel(), fx.Identity).Asset;
        ValidationReport ok = ManifestValidator.Validate(signed);
        foreach (var c in ok.Codes) output.WriteLine($"{c.Failure} {c.Code} {c.Explanation}");
        Assert.Equal(ValidationState.Valid, ok.State);
        Assert.Equal("JPEG APP11 segments", ok.Container);
        Assert.Contains(ok.Codes, c => c.Code == "assertion.dataHash.match");
        // The APP11 segment sits after SOI, APP0 (JFIF) and APP1 (XMP), and ffmpeg still decodes the file.
        var segments = JpegSegments.Header(signed, "signed");
        Assert.Equal([JpegSegment.App0, JpegSegment.App1, JpegSegment.App11], segments.Take(3).Select(x => x.Marker));
        string path = Path.Combine(Path.GetTempPath(), $"doppel-signed-{Guid.NewGuid():N}.jpg");
        try
        {
            File.WriteAllBytes(path, signed);
            Assert.Equal(48, Doppel.Media.Files.ImageFile.Read(path).Width);
        }
        finally { File.Delete(path); }

        ValidationReport bad = ManifestValidator.Validate(TamperJpegImageData(signed));
        Assert.Equal(ValidationState.Invalid, bad.State);
        Assert.Contains(bad.Failures, c => c.Code == "assertion.dataHash.mismatch");

        // Signing again replaces the manifest instead of adding a second store.
        byte[] twice = ContentCredentials.Sign(signed, "test.jpg", new SynthesisLabel(), fx.Identity).Asset;
        Assert.Equal(ValidationState.Valid, ManifestValidator.Validate(twice).State);
        Assert.Equal(signed.Length, twice.Length);
    }

    /// <summary>Changes one byte of the IDAT data (and fixes the chunk CRC so the PNG still parses).</summary>
    internal static byte[] TamperPixelData(byte[] png)
    {
        byte[] copy = (byte[])png.Clone();
        var idat = PngChunkEditor.Scan(copy, "png").First(c => c.Type == "IDAT");
        copy[idat.Start + 8 + idat.Length / 2] ^= 0x01;
        return copy;
    }

    [Fact]
    public void Fuzz_MutatedManifests_NeverCrash()
    {
        byte[] signed = SignPng(TestPng(2), fx.Identity);
        var cabx = PngChunkEditor.Scan(signed, "png").First(c => c.Type == "caBX");
        var rng = new Random(12345);
        int invalid = 0;
        for (int i = 0; i < 400; i++)
        {
            byte[] m = (byte[])signed.Clone();
            int flips = 1 + rng.Next(4);
            for (int k = 0; k < flips; k++)
            {
                int at = cabx.Start + 8 + rng.Next(cabx.Length);
                m[at] = rng.Next(3) == 0 ? (byte)0xff : (byte)rng.Next(256);
            }
            if (i % 10 == 0) m = m[..(cabx.Start + 8 + rng.Next(cabx.Length))]; // truncated inside the manifest
            try
            {
                ValidationReport r = ManifestValidator.Validate(m);
                if (r.State != ValidationState.Valid) invalid++;
            }
            catch (DoppelException) { invalid++; } // a container-level error with a clear message
        }
        output.WriteLine($"{invalid} of 400 mutations rejected");
        Assert.True(invalid > 300);
    }

    [Fact]
    public void ReferenceFiles_GiveTheOfficialVerdicts()
    {
        // The reference files live in the workplace's shared/ folder, beside the checkout; a
        // checkout elsewhere (a user's machine) has no such folder and cannot run this check.
        if (!Directory.Exists(ReferenceDir)) { output.WriteLine($"reference files not present at {ReferenceDir}; skipped"); return; }
        // The rows of the README table there.
        var expected = new (string File, ValidationState State, string? Code)[]
        {
            ("C.jpg", ValidationState.Valid, null),
            ("CA.jpg", ValidationState.Valid, null),
            ("video1.mp4", ValidationState.Valid, null),
            ("XCA.jpg", ValidationState.Invalid, "assertion.dataHash.mismatch"),
            ("E-sig-CA.jpg", ValidationState.Invalid, "claimSignature.mismatch"),
            ("no_manifest.jpg", ValidationState.NoManifest, null),
        };
        foreach (var (file, state, code) in expected)
        {
            ValidationReport r = ManifestValidator.Validate(File.ReadAllBytes(Path.Combine(ReferenceDir, file)), file);
            output.WriteLine($"{file}: {r.State} [{string.Join(", ", r.Codes.Select(c => (c.Failure ? "!" : "") + c.Code))}]");
            Assert.Equal(state, r.State);
            if (code is not null) Assert.Contains(r.Failures, c => c.Code == code);
            else Assert.Empty(r.Failures);
        }
    }
}

/// <summary>Doppel's output read by the official C2PA reader (c2pa-rs compiled to wasm, run under node).</summary>
public class InteropTests(IdentityFixture fx, ITestOutputHelper output) : IClassFixture<IdentityFixture>
{
    private const string Package = "@contentauth/c2pa-wasm@0.13.3";

    private static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    internal (string State, List<string> Codes)? OfficialVerdict(byte[] file, string extension = ".png") =>
        OfficialReport(file, extension) is var (state, codes, _) ? (state, codes) : null;

    /// <summary>The official reader's verdict, failure codes and its JSON report of the store.</summary>
    private (string State, List<string> Codes, JsonElement Store)? OfficialReport(byte[] file, string extension)
    {
        string root = RepoRoot();
        string cache = Environment.GetEnvironmentVariable("DOPPEL_CACHE") is { Length: > 0 } c0 ? c0 : Path.Combine(root, ".cache");
        string pkg = Path.Combine(cache, "npm", Package.Replace('/', '+'), "package");
        // ./doppel setup always installs the official reader (deps/npm.txt); without it the
        // interop claim is untested, so fail rather than pass silently.
        Assert.True(File.Exists(Path.Combine(pkg, "pkg", "c2pa_bg.wasm")), $"{Package} is not in the cache ({pkg}); run ./doppel setup");
        string tmp = Path.Combine(Path.GetTempPath(), $"doppel-interop-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(tmp, file);
        try
        {
            var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { Path.Combine(root, "tools", "c2pa", "c2pa-read.mjs"), pkg, tmp }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            string stdout = p.StandardOutput.ReadToEnd();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, stderr);
            using var doc = JsonDocument.Parse(stdout);
            string state = doc.RootElement.GetProperty("state").GetString()!;
            var codes = doc.RootElement.TryGetProperty("codes", out var c) ? c.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
            output.WriteLine($"official reader: {state} [{string.Join(", ", codes)}]");
            if (doc.RootElement.TryGetProperty("error", out var err)) output.WriteLine(err.GetString());
            JsonElement store = doc.RootElement.TryGetProperty("store", out var st) ? st.Clone() : default;
            if (store.ValueKind != JsonValueKind.Undefined) output.WriteLine(store.ToString());
            return (state, codes, store);
        }
        finally { File.Delete(tmp); }
    }

    [Fact]
    public void DoppelSignedPng_IsValidInTheOfficialReader()
    {
        byte[] signed = ProvenanceTests.SignPng(ProvenanceTests.TestPng(3), fx.Identity);
        if (OfficialVerdict(signed) is not var (state, codes)) return;
        Assert.Equal("Valid", state);
        Assert.All(codes, c => Assert.StartsWith("signingCredential.untrusted", c));
    }

    [Fact]
    public void TamperedPng_IsInvalidInTheOfficialReader_WithTheSameCode()
    {
        byte[] tampered = ProvenanceTests.TamperPixelData(ProvenanceTests.SignPng(ProvenanceTests.TestPng(4), fx.Identity));
        if (OfficialVerdict(tampered) is not var (state, codes)) return;
        Assert.Equal("Invalid", state);
        Assert.Contains("assertion.dataHash.mismatch", codes);
        Assert.Contains(ManifestValidator.Validate(tampered).Failures, c => c.Code == "assertion.dataHash.mismatch");
    }

    [Fact]
    public void DoppelSignedJpeg_IsValidInTheOfficialReader()
    {
        byte[] signed = ContentCredentials.Sign(ProvenanceTests.TestJpeg(5), "test.jpg", new SynthesisLabel(), fx.Identity).Asset;
        if (OfficialVerdict(signed, ".jpg") is not var (state, codes)) return;
        Assert.Equal("Valid", state);
        Assert.All(codes, c => Assert.StartsWith("signingCredential.untrusted", c));
    }

    [Fact]
    public void TamperedJpeg_IsInvalidInBothReaders_WithTheSameCode()
    {
        byte[] tampered = ProvenanceTests.TamperJpegImageData(ContentCredentials.Sign(ProvenanceTests.TestJpeg(6), "test.jpg", new SynthesisLabel(), fx.Identity).Asset);
        if (OfficialVerdict(tampered, ".jpg") is not var (state, codes)) return;
        Assert.Equal("Invalid", state);
        Assert.Contains("assertion.dataHash.mismatch", codes);
        Assert.Contains(ManifestValidator.Validate(tampered).Failures, c => c.Code == "assertion.dataHash.mismatch");
    }

    [Fact]
    public void MultiSegmentJpeg_IsValidInTheOfficialReader()
    {
        var builder = new ManifestBuilder("Doppel", "test");
        builder.Add(Assertion.Cbor("org.doppel.test.padding", new CborMap().Add("bytes", new byte[100_000])));
        builder.Add(SynthesisActions.For(new SynthesisLabel(), []));
        byte[] signed = builder.Sign(new JpegEmbedder().Prepare(ProvenanceTests.TestJpeg(8), "big.jpg"), fx.Identity).Asset;
        Assert.Equal(2, JpegSegments.Header(signed, "big").Count(s => s.Marker == JpegSegment.App11));
        if (OfficialVerdict(signed, ".jpg") is not var (state, codes)) return;
        Assert.Equal("Valid", state);
        Assert.All(codes, c => Assert.StartsWith("signingCredential.untrusted", c));
    }

    [Fact]
    public void GeneratedJpegWithModelInput_IsValidInTheOfficialReader()
    {
        using var files = new IngredientFiles();
        var label = new SynthesisLabel { Ingredients = [new(files.Model, IngredientRelationship.InputTo)] };
        byte[] signed = ContentCredentials.Sign(ProvenanceTests.TestJpeg(9), "gen.jpg", label, fx.Identity).Asset;
        if (OfficialReport(signed, ".jpg") is not var (state, codes, store)) return;
        Assert.Equal("Valid", state);
        Assert.All(codes, c => Assert.StartsWith("signingCredential.untrusted", c));
        JsonElement manifest = store.GetProperty("manifests").GetProperty(store.GetProperty("active_manifest").GetString()!);
        JsonElement model = Assert.Single(manifest.GetProperty("ingredients").EnumerateArray());
        Assert.Equal("inputTo", model.GetProperty("relationship").GetString());
        Assert.False(model.TryGetProperty("validation_status", out _), model.ToString());
    }

    [Fact]
    public void CompositePngWithIngredients_IsValidInTheOfficialReader_WhichListsThem()
    {
        using var files = new IngredientFiles();
        var label = new SynthesisLabel
        {
            Kind = SynthesisKind.Composite,
            Description = "face swapped",
            Ingredients = [new(files.Source, IngredientRelationship.ParentOf), new(files.Model, IngredientRelationship.InputTo)],
        };
        byte[] signed = ContentCredentials.Sign(ProvenanceTests.TestPng(7), "swapped.png", label, fx.Identity).Asset;
        if (OfficialReport(signed, ".png") is not var (state, codes, store)) return;
        Assert.Equal("Valid", state);
        Assert.All(codes, c => Assert.StartsWith("signingCredential.untrusted", c));
        JsonElement manifest = store.GetProperty("manifests").GetProperty(store.GetProperty("active_manifest").GetString()!);
        var ingredients = manifest.GetProperty("ingredients").EnumerateArray().ToList();
        Assert.Equal(2, ingredients.Count);
        Assert.Contains(ingredients, i => i.GetProperty("title").GetString() == "source.png" && i.GetProperty("relationship").GetString() == "parentOf");
        Assert.Contains(ingredients, i => i.GetProperty("title").GetString() == "model.bin" && i.GetProperty("relationship").GetString() == "inputTo");
        // No ingredient-level problems either (the official reader lists them per ingredient).
        Assert.All(ingredients, i => Assert.False(i.TryGetProperty("validation_status", out _), i.ToString()));
        string modelHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(files.Model)));
        Assert.Contains(ingredients, i => i.GetProperty("instance_id").GetString() == IngredientAssertion.NamedInformation(Convert.FromHexString(modelHash)));
    }
}

/// <summary>A source frame and a stand-in model file in a temporary folder.</summary>
internal sealed class IngredientFiles : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "doppel-ingredients-" + Guid.NewGuid().ToString("N"));
    public string Source => Path.Combine(Directory, "source.png");
    public string Model => Path.Combine(Directory, "model.bin");

    public IngredientFiles()
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllBytes(Source, ProvenanceTests.TestPng(99));
        var weights = new byte[4096];
        new Random(5).NextBytes(weights);
        File.WriteAllBytes(Model, weights);
    }

    public void Dispose() { try { System.IO.Directory.Delete(Directory, true); } catch (IOException) { } }
}
