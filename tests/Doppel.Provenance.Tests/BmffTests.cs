using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Doppel.Core;
using Doppel.Provenance.Bmff;
using Doppel.Provenance.Manifest;
using Xunit.Abstractions;

namespace Doppel.Provenance.Tests;

/// <summary>Small ISO BMFF files assembled box by box, for tests that need exact layouts.</summary>
internal static class TestBoxes
{
    public static byte[] Box(string type, params byte[][] content)
    {
        int length = 8 + content.Sum(c => c.Length);
        var box = new byte[length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)length);
        Encoding.Latin1.GetBytes(type, box.AsSpan(4));
        int at = 8;
        foreach (byte[] c in content) { c.CopyTo(box, at); at += c.Length; }
        return box;
    }

    /// <summary>A box with a 64-bit largesize header.</summary>
    public static byte[] LargeBox(string type, byte[] content)
    {
        var box = new byte[16 + content.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, 1);
        Encoding.Latin1.GetBytes(type, box.AsSpan(4));
        BinaryPrimitives.WriteUInt64BigEndian(box.AsSpan(8), (ulong)box.Length);
        content.CopyTo(box, 16);
        return box;
    }

    public static byte[] Stco(params uint[] offsets) => ChunkTable(false, offsets.Select(o => (ulong)o).ToArray());

    public static byte[] ChunkTable(bool wide, params ulong[] offsets)
    {
        int size = wide ? 8 : 4;
        var c = new byte[8 + size * offsets.Length];
        BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(4), (uint)offsets.Length);
        for (int i = 0; i < offsets.Length; i++)
            if (wide) BinaryPrimitives.WriteUInt64BigEndian(c.AsSpan(8 + size * i), offsets[i]);
            else BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(8 + size * i), (uint)offsets[i]);
        return Box(wide ? "co64" : "stco", c);
    }

    public static byte[] Ftyp() => Box("ftyp", "isom"u8.ToArray(), [0, 0, 2, 0], "isomiso2avc1mp41"u8.ToArray());

    /// <summary>
    /// ftyp, then moov (one track whose stco or co64 points at the two 32-byte chunks in mdat) and
    /// mdat, moov first ("faststart") or last.
    /// </summary>
    public static byte[] Mp4(byte[]? mdatPayload = null, bool moovFirst = true, bool co64 = false)
    {
        mdatPayload ??= Enumerable.Range(0, 64).Select(i => (byte)(i * 7)).ToArray();
        byte[] ftyp = Ftyp();
        byte[] Moov(ulong first) => Box("moov", Box("trak", Box("mdia", Box("minf", Box("stbl", ChunkTable(co64, first, first + 32))))));
        byte[] mdat = Box("mdat", mdatPayload);
        if (moovFirst)
        {
            int mdatStart = ftyp.Length + Moov(0).Length;
            return [.. ftyp, .. Moov((ulong)mdatStart + 8), .. mdat];
        }
        return [.. ftyp, .. mdat, .. Moov((ulong)ftyp.Length + 8)];
    }
}

public class BmffTests(ITestOutputHelper output)
{
    [Fact]
    public void BoxReader_ReadsNestedLargeAndToEndBoxes()
    {
        byte[] file = [.. TestBoxes.Ftyp(), .. TestBoxes.LargeBox("free", new byte[5]), .. TestBoxes.Mp4()[TestBoxes.Ftyp().Length..]];
        var tree = BmffReader.ReadTree(file);
        Assert.Equal(["ftyp", "free", "moov", "mdat"], tree.Select(b => b.Type));
        Assert.Equal(16, tree[1].HeaderSize);
        Assert.Equal(21, tree[1].Size);
        BmffBox stco = tree[2].SelfAndDescendants().Single(b => b.Type == "stco");
        Assert.Equal("/moov/trak/mdia/minf/stbl/stco", stco.Path);
        Assert.Equal((byte)0, stco.Version);

        // size 0: the last box runs to the end of the file
        byte[] toEnd = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(toEnd.AsSpan((int)tree[3].Offset), 0);
        Assert.Equal(tree[3].Size, BmffReader.ReadTree(toEnd)[3].Size);
    }

    [Fact]
    public void BoxReader_RejectsLengthsBeyondTheirContainer_WithoutAllocating()
    {
        byte[] file = TestBoxes.Mp4();
        var tree = BmffReader.ReadTree(file);
        // mdat claims 4 GB
        byte[] big = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(big.AsSpan((int)tree[^1].Offset), 0xFFFFFFF0);
        Assert.Contains("claims", Assert.Throws<BmffException>(() => BmffReader.ReadTree(big)).Message);
        // a 64-bit size of 2^63
        byte[] huge = [.. TestBoxes.Ftyp(), 0, 0, 0, 1, .. "mdat"u8, 0x80, 0, 0, 0, 0, 0, 0, 0];
        Assert.Throws<BmffException>(() => BmffReader.ReadTree(huge));
        // a box nested in stbl that overruns stbl (but not the file)
        byte[] inner = (byte[])file.Clone();
        BmffBox stco = tree[1].SelfAndDescendants().Single(b => b.Type == "stco");
        BinaryPrimitives.WriteUInt32BigEndian(inner.AsSpan((int)stco.Offset), (uint)stco.Size + 8);
        Assert.Contains("/moov/trak/mdia/minf/stbl", Assert.Throws<BmffException>(() => BmffReader.ReadTree(inner)).Message);
        // a header smaller than 8, a truncated header
        byte[] tiny = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(tiny.AsSpan((int)tree[^1].Offset), 4);
        Assert.Throws<BmffException>(() => BmffReader.ReadTree(tiny));
        Assert.Throws<BmffException>(() => BmffReader.ReadTree([.. file, 0, 0, 0]));
    }

    [Fact]
    public void BmffHash_Version2_PinsBoxOffsets_AndSkipsExclusions()
    {
        byte[] file = TestBoxes.Mp4();
        var tree = BmffReader.ReadTree(file);
        byte[] V(byte[] f, int version) => BmffHasher.Hash(f, BmffReader.ReadTree(f), BmffExclusion.Standard, version, HashAlgorithmName.SHA256);

        // v1 by hand: everything but ftyp and the stco entries
        BmffBox stco = tree[1].SelfAndDescendants().Single(b => b.Type == "stco");
        byte[] v1 = SHA256.HashData([.. file[(int)tree[1].Offset..(int)(stco.Offset + 16)], .. file[(int)stco.End..]]);
        Assert.Equal(v1, V(file, 1));
        // v2 by hand: the 8-byte offset goes in front of moov and of mdat
        byte[] Offset(long o) { var b = new byte[8]; BinaryPrimitives.WriteUInt64BigEndian(b, (ulong)o); return b; }
        byte[] v2 = SHA256.HashData([.. Offset(tree[1].Offset), .. file[(int)tree[1].Offset..(int)(stco.Offset + 16)], .. file[(int)stco.End..(int)tree[2].Offset],
            .. Offset(tree[2].Offset), .. file[(int)tree[2].Offset..]]);
        Assert.Equal(v2, V(file, 2));
        Assert.Equal(v2, V(file, 3));

        // chunk offsets and ftyp are excluded; a changed mdat byte is not
        byte[] moved = (byte[])file.Clone();
        moved[(int)stco.Offset + 16] ^= 0x10;
        moved[10] ^= 1;
        Assert.Equal(v2, V(moved, 2));
        byte[] tampered = (byte[])file.Clone();
        tampered[^3] ^= 1;
        Assert.NotEqual(v2, V(tampered, 2));

        // a free box in front of moov shifts the top-level offsets: v2 notices, v1 does not
        byte[] free = TestBoxes.Box("free", new byte[8]);
        int ftypEnd = (int)tree[0].End;
        byte[] shifted = [.. file[..ftypEnd], .. free, .. file[ftypEnd..]];
        var freeExcluded = BmffExclusion.Standard.Append(new BmffExclusion("/free")).ToList();
        byte[] H(byte[] f, int version) => BmffHasher.Hash(f, BmffReader.ReadTree(f), freeExcluded, version, HashAlgorithmName.SHA256);
        Assert.Equal(H(file, 1), H(shifted, 1));
        Assert.NotEqual(H(file, 2), H(shifted, 2));
    }

    [Fact]
    public void BmffExclusion_Predicates_SelectTheBoxes()
    {
        byte[] file = TestBoxes.Mp4();
        var tree = BmffReader.ReadTree(file);
        BmffBox stco = tree[1].SelfAndDescendants().Single(b => b.Type == "stco");
        const string path = "/moov/trak/mdia/minf/stbl/stco";
        (long, long)[] Ranges(BmffExclusion e) => BmffHasher.Resolve(file, tree, [e]).Ranges.Select(r => (r.Start, r.End)).ToArray();
        Assert.Equal([(stco.Offset, stco.End)], Ranges(new BmffExclusion(path)));
        Assert.Empty(Ranges(new BmffExclusion(path) { Length = stco.Size + 1 }));
        Assert.Equal([(stco.Offset, stco.End)], Ranges(new BmffExclusion(path) { Length = stco.Size }));
        Assert.Empty(Ranges(new BmffExclusion(path) { Version = 1 }));
        Assert.Empty(Ranges(new BmffExclusion(path) { Flags = [0, 0, 1] }));
        Assert.Equal([(stco.Offset, stco.End)], Ranges(new BmffExclusion(path) { Flags = [0, 0, 1], Exact = false }));
        Assert.Empty(Ranges(new BmffExclusion(path) { Data = [new BmffDataMatch(4, "co64"u8.ToArray())] }));
        Assert.Equal([(stco.Offset + 16, stco.End)], Ranges(new BmffExclusion(path) { Data = [new BmffDataMatch(4, "stco"u8.ToArray())], Subset = [new BmffSubset(16, 0)] }));
        // data past the box's end never matches; a subset past it is clipped to the box
        Assert.Empty(Ranges(new BmffExclusion(path) { Data = [new BmffDataMatch(stco.Size - 2, [0, 0, 0, 0])] }));
        Assert.Equal([(stco.Offset + 8, stco.End)], Ranges(new BmffExclusion(path) { Subset = [new BmffSubset(8, 1000)] }));
    }

    [Fact]
    public void ReferenceVideo_IsValid_AndAChangedMdatByteIsABmffHashMismatch()
    {
        if (!Directory.Exists(ProvenanceTests.ReferenceDir)) { output.WriteLine($"reference files not present at {ProvenanceTests.ReferenceDir}; skipped"); return; }
        byte[] video = File.ReadAllBytes(Path.Combine(ProvenanceTests.ReferenceDir, "video1.mp4"));
        ValidationReport ok = ManifestValidator.Validate(video, "video1.mp4");
        foreach (var c in ok.Codes) output.WriteLine($"{(c.Failure ? "!" : "")}{c.Code}: {c.Explanation}");
        Assert.Equal(ValidationState.Valid, ok.State);
        Assert.Contains(ok.Codes, c => c.Code == "assertion.bmffHash.match");
        Assert.Equal(Doppel.Provenance.Assets.Mp4Embedder.Container, ok.Container);

        BmffBox mdat = BmffReader.ReadTopLevel(video).Single(b => b.Type == "mdat");
        byte[] tampered = (byte[])video.Clone();
        tampered[(int)(mdat.Offset + mdat.Size / 2)] ^= 0x01;
        ValidationReport bad = ManifestValidator.Validate(tampered, "tampered.mp4");
        Assert.Equal(ValidationState.Invalid, bad.State);
        Assert.Equal(["assertion.bmffHash.mismatch"], bad.Failures.Select(c => c.Code));
    }

    [Fact]
    public void Mp4WithoutManifest_IsNoManifest_AndABrokenOneIsAClearError()
    {
        Assert.Equal(ValidationState.NoManifest, ManifestValidator.Validate(TestBoxes.Mp4()).State);
        byte[] broken = TestBoxes.Mp4();
        BinaryPrimitives.WriteUInt32BigEndian(broken.AsSpan(TestBoxes.Ftyp().Length), 0x7FFFFFFF);
        var e = Assert.Throws<DoppelException>(() => ManifestValidator.Validate(broken, "broken.mp4"));
        Assert.StartsWith("broken.mp4: box 'moov'", e.Message);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void Insertion_PutsTheC2paBoxAfterFtyp_AndMovesTheChunkOffsets(bool moovFirst, bool co64)
    {
        byte[] mp4 = TestBoxes.Mp4(moovFirst: moovFirst, co64: co64);
        BmffBox oldMoov = BmffReader.ReadTree(mp4).Single(b => b.Type == "moov");
        List<long> oldChunks = ChunkOffsets.Read(mp4, oldMoov);
        var insertion = Mp4ManifestInsertion.Prepare(mp4, "test.mp4");
        byte[] store = RandomNumberGenerator.GetBytes(100);
        byte[] signed = insertion.Embed(store);

        var tree = BmffReader.ReadTree(signed);
        Assert.Equal(moovFirst ? ["ftyp", "uuid", "moov", "mdat"] : ["ftyp", "uuid", "mdat", "moov"], tree.Select(b => b.Type));
        Assert.True(C2paBox.IsC2pa(tree[1]));
        C2paBoxContent content = C2paBox.Read(signed, tree[1]);
        Assert.Equal(C2paBox.ManifestPurpose, content.Purpose);
        Assert.Equal(store, signed.AsSpan((int)content.DataOffset, content.DataLength).ToArray());
        // every chunk offset moved by the C2PA box's size and still points at the same bytes
        List<long> newChunks = ChunkOffsets.Read(signed, tree.Single(b => b.Type == "moov"));
        Assert.Equal(oldChunks.Select(o => o + tree[1].Size), newChunks);
        for (int i = 0; i < oldChunks.Count; i++)
            Assert.Equal(mp4.AsSpan((int)oldChunks[i], 32).ToArray(), signed.AsSpan((int)newChunks[i], 32).ToArray());

        // the hard binding computed before the store was written holds for the signed file
        BmffHashAssertion binding = Mp4ManifestInsertion.Prepare(mp4, "test.mp4").HardBinding(store.Length);
        Assert.Equal(binding.Hash, BmffHasher.Hash(signed, tree, binding.Exclusions, 2, HashAlgorithmName.SHA256));

        // signing again replaces the C2PA box instead of adding a second one
        byte[] again = Mp4ManifestInsertion.Prepare(signed, "signed.mp4").Embed(RandomNumberGenerator.GetBytes(300));
        var againTree = BmffReader.ReadTree(again);
        Assert.Single(againTree, C2paBox.IsC2pa);
        Assert.Equal(oldChunks.Select(o => o + againTree[1].Size), ChunkOffsets.Read(again, againTree.Single(b => b.Type == "moov")));
    }

    [Fact]
    public void Insertion_RefusesFragmentedAndItemFiles_AndDamagedTables()
    {
        byte[] fragmented = [.. TestBoxes.Mp4(), .. TestBoxes.Box("moof", TestBoxes.Box("mfhd", new byte[8])), .. TestBoxes.Box("mdat", new byte[4])];
        Assert.Contains("fragmented", Assert.Throws<DoppelException>(() => Mp4ManifestInsertion.Prepare(fragmented, "f.mp4")).Message);
        byte[] heif = [.. TestBoxes.Ftyp(), .. TestBoxes.Box("meta", new byte[4], TestBoxes.Box("hdlr", new byte[24]))];
        Assert.Contains("HEIF", Assert.Throws<DoppelException>(() => Mp4ManifestInsertion.Prepare(heif, "h.heic")).Message);
        Assert.Contains("moov", Assert.Throws<DoppelException>(() => Mp4ManifestInsertion.Prepare([.. TestBoxes.Ftyp(), .. TestBoxes.Box("mdat", new byte[4])], "m.mp4")).Message);

        // an stco claiming 2^32-1 entries, and one pointing past the file
        byte[] mp4 = TestBoxes.Mp4();
        BmffBox stco = BmffReader.ReadTree(mp4)[1].SelfAndDescendants().Single(b => b.Type == "stco");
        byte[] lying = (byte[])mp4.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(lying.AsSpan((int)stco.Offset + 12), uint.MaxValue);
        Assert.Contains("entries", Assert.Throws<DoppelException>(() => Mp4ManifestInsertion.Prepare(lying, "l.mp4").Layout(10)).Message);
        byte[] outside = (byte[])mp4.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(outside.AsSpan((int)stco.Offset + 16), (uint)mp4.Length + 5);
        Assert.Contains("outside", Assert.Throws<DoppelException>(() => Mp4ManifestInsertion.Prepare(outside, "o.mp4").Layout(10)).Message);
    }
}
