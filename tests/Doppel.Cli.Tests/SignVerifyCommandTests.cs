using System.Text.Json;
using Doppel.Media.Imaging;
using Doppel.Media.Png;
using Doppel.Provenance;
using Doppel.Provenance.Cose;

namespace Doppel.Cli.Tests;

/// <summary>
/// <c>doppel sign</c> and <c>doppel verify</c> from the command line: labels and ingredients in,
/// the same read back (text and JSON), sidecars for other files, exit codes 0 / 1 / 2.
/// A throwaway identity is passed with --key/--cert, so the user's cache is never touched.
/// </summary>
[Collection("Console")]
public sealed class SignVerifyCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("doppel-sign-cli-").FullName;
    private readonly string key, cert;

    public SignVerifyCommandTests()
    {
        string ids = Path.Combine(dir, "identity");
        SigningIdentity.LoadOrCreateLocal(ids).Dispose();
        key = Path.Combine(ids, SigningIdentity.KeyFile);
        cert = Path.Combine(ids, SigningIdentity.CertFile);
    }

    public void Dispose() { try { Directory.Delete(dir, true); } catch (IOException) { } }

    private string Png(string name, int seed)
    {
        var img = new RgbImage(16, 16);
        new Random(seed).NextBytes(img.Data);
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, PngWriter.Encode(img));
        return path;
    }

    [Fact]
    public void CompositeWithParentAndModel_IsSignedAndReadBack()
    {
        string source = Png("source.png", 1), swapped = Png("swapped.png", 2), model = Path.Combine(dir, "h128.weights");
        File.WriteAllBytes(model, [1, 2, 3, 4]);
        string signed = Path.Combine(dir, "signed.png");
        var (code, stdout, error) = ConsoleCapture.Run("sign", swapped, "-o", signed, "--parent", source, "--input", model, "--description", "face swapped", "--key", key, "--cert", cert);
        Assert.True(code == 0, error);
        Assert.Contains("compositeWithTrainedAlgorithmicMedia, 2 ingredient(s)", stdout);

        (code, stdout, _) = ConsoleCapture.Run("verify", signed);
        Assert.Equal(0, code);
        Assert.Contains("VALID", stdout);
        Assert.Contains("action:    c2pa.opened", stdout);
        Assert.Contains("ingredient: source.png (image/png, parentOf, sha256 ", stdout);
        Assert.Contains("ingredient: h128.weights (application/octet-stream, inputTo, sha256 9f64a747e1b97f131fabb6b447296c9b6f0201e79fb3c5356e6c77e89b6a806a)", stdout);

        (code, stdout, _) = ConsoleCapture.Run("verify", signed, "--json");
        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.Equal("Valid", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(["parentOf", "inputTo"], json.RootElement.GetProperty("ingredients").EnumerateArray().Select(i => i.GetProperty("relationship").GetString()));
    }

    [Fact]
    public void APngACommandWritesAsCreated_IsReportedByVerifyAsTrainedAlgorithmicMedia()
    {
        // What a GAN's sampler does: the created kind of the one synthetic-output policy.
        string weights = Path.Combine(dir, "generator.safetensors");
        File.WriteAllBytes(weights, [1, 2, 3, 4]);
        string sample = Path.Combine(dir, "sample.png");
        var image = new RgbImage(16, 16);
        new Random(3).NextBytes(image.Data);
        using var identity = SigningIdentity.Load(key, cert);
        SyntheticOutputPolicy.Created([SyntheticOutputPolicy.Model(weights)], identity).Write(sample, file => File.WriteAllBytes(file, PngWriter.Encode(image)));

        var (code, stdout, _) = ConsoleCapture.Run("verify", sample);
        Assert.True(code == 0, stdout);
        Assert.Contains("VALID", stdout);
        Assert.Contains("action:    c2pa.created (http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia)", stdout);
        Assert.Contains("ingredient: generator.safetensors (application/octet-stream, inputTo, sha256 9f64a747e1b97f131fabb6b447296c9b6f0201e79fb3c5356e6c77e89b6a806a)", stdout);
        Assert.DoesNotContain("parentOf", stdout);
    }

    [Fact]
    public void OtherFiles_AreSignedWithASidecar_AndVerifyFindsIt()
    {
        string data = Path.Combine(dir, "clip.dat");
        File.WriteAllBytes(data, [9, 8, 7, 6, 5]);
        var (code, stdout, error) = ConsoleCapture.Run("sign", data, "-o", data, "--composite", "--key", key, "--cert", cert);
        Assert.True(code == 0, error);
        Assert.Contains("clip.dat.c2pa (sidecar", stdout);
        Assert.Equal(0, ConsoleCapture.Run("verify", data).Code);
        Assert.Equal(0, ConsoleCapture.Run("verify", data + ".c2pa").Code);
        File.WriteAllBytes(data, [9, 8, 7, 6, 4]);
        (code, stdout, _) = ConsoleCapture.Run("verify", data);
        Assert.Equal(1, code);
        Assert.Contains("FAIL assertion.dataHash.mismatch", stdout);
    }

    [Fact]
    public void UnsignedFile_Exits2_AndBadArgumentsGiveOneLineErrors()
    {
        string plain = Png("plain.png", 3);
        var (code, stdout, _) = ConsoleCapture.Run("verify", plain);
        Assert.Equal(2, code);
        Assert.Contains("no C2PA manifest", stdout);

        (code, _, string error) = ConsoleCapture.Run("sign", plain, "-o", Path.Combine(dir, "x.png"), "--key", key);
        Assert.Equal(1, code);
        Assert.StartsWith("error: --key and --cert go together", error);

        (code, _, error) = ConsoleCapture.Run("sign", plain, "-o", Path.Combine(dir, "x.png"), "--input", Path.Combine(dir, "missing.onnx"), "--key", key, "--cert", cert);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ingredient not found", error);
        Assert.False(File.Exists(Path.Combine(dir, "x.png")));

        (code, _, error) = ConsoleCapture.Run("verify", plain, "--manifest", Path.Combine(dir, "none.c2pa"));
        Assert.Equal(1, code);
        Assert.StartsWith("error: manifest not found", error);
    }
}
