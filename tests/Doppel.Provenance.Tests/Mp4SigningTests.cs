using System.Buffers.Binary;
using System.Diagnostics;
using Doppel.Core;
using Doppel.Provenance.Assets;
using Doppel.Provenance.Bmff;
using Doppel.Provenance.Cbor;
using Doppel.Provenance.Cose;
using Doppel.Provenance.Manifest;
using Xunit.Abstractions;

namespace Doppel.Provenance.Tests;

/// <summary>Short H.264/AAC MP4 clips made by ffmpeg, once per test run, in both box orders.</summary>
internal static class TestVideos
{
    private static readonly Lazy<byte[]> FastStart = new(() => Encode(faststart: true));
    private static readonly Lazy<byte[]> MoovLast = new(() => Encode(faststart: false));

    /// <summary>One second of 64x48 test pattern at 10 fps with a sine tone; moov before mdat when <paramref name="faststart"/>.</summary>
    public static byte[] Clip(bool faststart) => faststart ? FastStart.Value : MoovLast.Value;

    private static byte[] Encode(bool faststart)
    {
        string path = Path.Combine(Path.GetTempPath(), $"doppel-test-{Guid.NewGuid():N}.mp4");
        try
        {
            var args = new List<string> { "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-f", "lavfi", "-i", "sine",
                "-t", "1", "-c:v", "libx264", "-c:a", "aac" };
            if (faststart) args.AddRange(["-movflags", "+faststart"]);
            args.Add(path);
            Run("ffmpeg", args);
            return File.ReadAllBytes(path);
        }
        finally { File.Delete(path); }
    }

    /// <summary>ffmpeg's MD5 of every decoded video frame and audio packet, one line each: what a player would show and play.</summary>
    public static string[] DecodedFrames(byte[] mp4)
    {
        string path = Path.Combine(Path.GetTempPath(), $"doppel-test-{Guid.NewGuid():N}.mp4");
        File.WriteAllBytes(path, mp4);
        try { return Run("ffmpeg", ["-v", "error", "-i", path, "-f", "framemd5", "-"]).Split('\n').Where(l => l.Length > 0 && l[0] != '#').ToArray(); }
        finally { File.Delete(path); }
    }

    private static string Run(string tool, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} failed: {stderr.Result}");
        return stdout;
    }

    /// <summary>A copy with one byte in the middle of mdat flipped.</summary>
    public static byte[] TamperMdat(byte[] mp4)
    {
        BmffBox mdat = BmffReader.ReadTopLevel(mp4).Single(b => b.Type == "mdat");
        byte[] copy = (byte[])mp4.Clone();
        copy[(int)(mdat.Offset + mdat.Size / 2)] ^= 0x01;
        return copy;
    }
}

public class Mp4SigningTests(IdentityFixture fx, ITestOutputHelper output) : IClassFixture<IdentityFixture>
{
    private byte[] Sign(byte[] mp4, string name = "test.mp4") => ContentCredentials.Sign(mp4, name, new SynthesisLabel(), fx.Identity).Asset;

    [Fact]
    public void SignedMp4_Verifies_AndTamperingOrMovingBoxesIsReported()
    {
        Assert.IsType<Mp4Embedder>(AssetEmbedders.For(TestBoxes.Mp4()));
        byte[] signed = Sign(TestBoxes.Mp4());
        ValidationReport ok = ManifestValidator.Validate(signed, "signed.mp4");
        foreach (var c in ok.Codes) output.WriteLine($"{(c.Failure ? "!" : "")}{c.Code}: {c.Explanation}");
        Assert.Equal(ValidationState.Valid, ok.State);
        Assert.Equal(Mp4Embedder.Container, ok.Container);
        Assert.Contains(ok.Codes, c => c.Code == "assertion.bmffHash.match" && c.Url!.EndsWith("/c2pa.hash.bmff.v2"));
        Assert.Contains(ok.Actions, a => a.Contains(C2pa.TrainedAlgorithmicMedia));

        Assert.Equal(["assertion.bmffHash.mismatch"], ManifestValidator.Validate(TestVideos.TamperMdat(signed)).Failures.Select(c => c.Code));
        // a free box slipped in before moov moves moov and mdat: v2 hashes their offsets
        long afterC2pa = BmffReader.ReadTopLevel(signed)[1].End;
        byte[] moved = [.. signed[..(int)afterC2pa], .. TestBoxes.Box("free", new byte[4]), .. signed[(int)afterC2pa..]];
        Assert.Equal(["assertion.bmffHash.mismatch"], ManifestValidator.Validate(moved).Failures.Select(c => c.Code));
    }

    [Fact]
    public void ResigningAnMp4_ReplacesItsManifest()
    {
        byte[] once = Sign(TestBoxes.Mp4(moovFirst: false));
        byte[] twice = Sign(once);
        Assert.Single(BmffReader.ReadTopLevel(twice), C2paBox.IsC2pa);
        Assert.Equal(once.Length, twice.Length); // same labels, same sizes: the old box went, the new one came
        ValidationReport r = ManifestValidator.Validate(twice);
        Assert.Equal(ValidationState.Valid, r.State);
        Assert.Equal(1, r.ManifestCount);
    }

    [Fact]
    public void AMerkleOnlyBmffHash_IsSaidToBeUnsupported_NotTampered()
    {
        var insertion = Mp4ManifestInsertion.Prepare(TestBoxes.Mp4(), "m.mp4");
        var merkle = new CborMap()
            .Add("exclusions", BmffHashAssertion.FromCbor(insertion.HardBinding(0).ToCbor()).ToCbor()["exclusions"])
            .Add("alg", "sha256")
            .Add("merkle", new List<object?> { new CborMap().Add("uniqueId", 1L).Add("localId", 1L).Add("count", 1L).Add("hashes", new List<object?> { new byte[32] }) });
        var builder = new ManifestBuilder("Doppel", "test");
        byte[] signed = builder.Sign(new FixedBinding(insertion, Assertion.Cbor("c2pa.hash.bmff.v2", merkle)), fx.Identity).Asset;
        var e = Assert.Throws<DoppelException>(() => ManifestValidator.Validate(signed, "m.mp4"));
        Assert.Contains("Merkle", e.Message);
    }

    /// <summary>An MP4 embedding whose hard binding is given by the test.</summary>
    private sealed class FixedBinding(Mp4ManifestInsertion insertion, Assertion binding) : IEmbedding
    {
        public string Format => "video/mp4";
        public Assertion HardBinding(int storeLength) => binding;
        public SignedAsset Embed(byte[] store) => new(insertion.Embed(store), null);
    }

    [Fact]
    public void Fuzz_MutatedMp4BoxesAndManifests_NeverCrash()
    {
        byte[] signed = Sign(TestBoxes.Mp4(Enumerable.Range(0, 512).Select(i => (byte)i).ToArray()));
        List<BmffBox> boxes = BmffReader.ReadTree(signed).SelectMany(b => b.SelfAndDescendants()).ToList();
        BmffBox c2pa = boxes.Single(C2paBox.IsC2pa);
        var rng = new Random(4242);
        int rejected = 0, errors = 0;
        const int rounds = 400;
        for (int i = 0; i < rounds; i++)
        {
            byte[] m = (byte[])signed.Clone();
            int flips = 1 + rng.Next(4);
            for (int k = 0; k < flips; k++)
            {
                // half the time a box header (size, type, 64-bit size), else a byte of the manifest
                int at = rng.Next(2) == 0
                    ? (int)boxes[rng.Next(boxes.Count)].Offset + rng.Next(16)
                    : (int)c2pa.Offset + rng.Next((int)c2pa.Size);
                if (at >= m.Length) continue;
                m[at] = rng.Next(3) == 0 ? (byte)0xff : (byte)rng.Next(256);
            }
            if (i % 10 == 0) m = m[..rng.Next(m.Length)];
            try
            {
                if (ManifestValidator.Validate(m, "fuzz.mp4").State != ValidationState.Valid) rejected++;
            }
            catch (DoppelException) { rejected++; errors++; }
            try { Mp4ManifestInsertion.Prepare(m, "fuzz.mp4").Embed(new byte[16]); }
            catch (DoppelException) { }
        }
        output.WriteLine($"{rejected} of {rounds} mutations rejected ({errors} as container errors)");
        Assert.True(rejected > rounds * 3 / 4);
    }

    [Fact]
    public void FfmpegMp4_SignedByDoppel_PlaysTheSameFrames()
    {
        foreach (bool faststart in new[] { true, false })
        {
            byte[] clip = TestVideos.Clip(faststart);
            byte[] signed = Sign(clip);
            string[] before = TestVideos.DecodedFrames(clip), after = TestVideos.DecodedFrames(signed);
            output.WriteLine($"faststart={faststart}: {clip.Length} -> {signed.Length} bytes, {after.Length} frames and packets decoded");
            Assert.True(before.Length > 10);
            Assert.Equal(before, after);
            Assert.Equal(ValidationState.Valid, ManifestValidator.Validate(signed).State);
        }
    }
}

/// <summary>Doppel-signed MP4 read by the official C2PA reader.</summary>
public class Mp4InteropTests(IdentityFixture fx, ITestOutputHelper output) : IClassFixture<IdentityFixture>
{
    private readonly InteropTests official = new(fx, output);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DoppelSignedMp4_IsValidInTheOfficialReader_AndAChangedMdatByteIsInvalidInBoth(bool faststart)
    {
        byte[] signed = ContentCredentials.Sign(TestVideos.Clip(faststart), "clip.mp4", new SynthesisLabel(), fx.Identity).Asset;
        if (official.OfficialVerdict(signed, ".mp4") is not var (state, codes)) return;
        Assert.Equal("Valid", state);
        Assert.All(codes, c => Assert.StartsWith("signingCredential.untrusted", c));

        byte[] tampered = TestVideos.TamperMdat(signed);
        if (official.OfficialVerdict(tampered, ".mp4") is not var (badState, badCodes)) return;
        Assert.Equal("Invalid", badState);
        Assert.Contains("assertion.bmffHash.mismatch", badCodes);
        Assert.Contains(ManifestValidator.Validate(tampered).Failures, c => c.Code == "assertion.bmffHash.mismatch");
    }
}
