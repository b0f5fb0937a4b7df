using System.Diagnostics;
using Doppel.Provenance.Cose;

namespace Doppel.Cli.Tests;

/// <summary>
/// <c>doppel sign</c> and <c>doppel verify</c> on MP4 from the command line: a clip ffmpeg wrote
/// is signed and verifies, a changed byte makes verify exit 1, a fragmented MP4 is refused with
/// one error line and a hint. Signed with a key made in a temporary folder, never the user's.
/// </summary>
[Collection("Console")]
public sealed class SignVerifyMp4Tests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "doppel-sign-cli-" + Guid.NewGuid().ToString("N"));
    private readonly string key, cert;

    public SignVerifyMp4Tests()
    {
        Directory.CreateDirectory(dir);
        SigningIdentity.LoadOrCreateLocal(dir).Dispose();
        key = Path.Combine(dir, SigningIdentity.KeyFile);
        cert = Path.Combine(dir, SigningIdentity.CertFile);
    }

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    private string Clip(string name, params string[] movflags)
    {
        string path = Path.Combine(dir, name);
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (string a in (string[])["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-t", "1", "-c:v", "libx264", .. movflags, path])
            info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        return path;
    }

    [Fact]
    public void Mp4_signs_verifies_and_a_changed_byte_is_invalid()
    {
        string input = Clip("in.mp4"), output = Path.Combine(dir, "out.mp4");
        var (code, stdout, error) = ConsoleCapture.Run("sign", input, "-o", output, "--key", key, "--cert", cert);
        Assert.True(code == 0, error);
        Assert.StartsWith($"signed {output}", stdout);
        Assert.False(File.Exists(output + ".c2pa")); // inside the file, not a sidecar

        (code, stdout, _) = ConsoleCapture.Run("verify", output);
        Assert.Equal(0, code);
        Assert.Contains("VALID", stdout);
        Assert.Contains("MP4 C2PA uuid box", stdout);
        Assert.Contains("ok   assertion.bmffHash.match", stdout);

        byte[] bytes = File.ReadAllBytes(output);
        var mdat = Doppel.Provenance.Bmff.BmffReader.ReadTopLevel(bytes).Single(b => b.Type == "mdat");
        bytes[(int)(mdat.Offset + mdat.Size / 2)] ^= 1;
        File.WriteAllBytes(output, bytes);
        (code, stdout, _) = ConsoleCapture.Run("verify", output, "--json");
        Assert.Equal(1, code);
        Assert.Contains("\"state\": \"Invalid\"", stdout);
        Assert.Contains("assertion.bmffHash.mismatch", stdout);
    }

    [Fact]
    public void Fragmented_mp4_is_refused_with_a_hint()
    {
        string input = Clip("frag.mp4", "-movflags", "frag_keyframe+empty_moov"), output = Path.Combine(dir, "out.mp4");
        var (code, _, error) = ConsoleCapture.Run("sign", input, "-o", output, "--key", key, "--cert", cert);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error);
        Assert.Contains("fragmented MP4", error);
        Assert.Contains("\nhint: ", error);
        Assert.False(File.Exists(output));
    }
}
