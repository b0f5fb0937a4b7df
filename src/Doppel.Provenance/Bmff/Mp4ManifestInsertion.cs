using System.Buffers.Binary;
using System.Security.Cryptography;
using Doppel.Core;

namespace Doppel.Provenance.Bmff;

/// <summary>
/// Places a C2PA manifest store in an MP4/MOV as c2pa-rs does: a C2PA <c>uuid</c> box right
/// after <c>ftyp</c>, any earlier C2PA box removed, every chunk offset in <c>moov</c> moved with
/// the media data, and a <c>c2pa.hash.bmff.v2</c> hard binding over the result with the
/// standard exclusions. The layout for a given store length is built once and reused, since the
/// hard binding is computed over it and the store is then written into it.
/// <para>
/// Fragmented MP4 (<c>moof</c>), HEIF/AVIF item files (top-level <c>meta</c>) and files without
/// a <c>moov</c> are refused with a clear message: their absolute offsets live in boxes this
/// class does not rewrite.
/// </para>
/// </summary>
public sealed class Mp4ManifestInsertion
{
    private readonly byte[] mp4;
    private readonly List<BmffBox> kept;       // top-level boxes copied to the output, in order
    private readonly BmffBox moov;
    private readonly string source;
    private (int StoreLength, byte[] Bytes)? lastLayout;

    private Mp4ManifestInsertion(byte[] mp4, List<BmffBox> kept, BmffBox moov, string source)
    {
        this.mp4 = mp4;
        this.kept = kept;
        this.moov = moov;
        this.source = source;
    }

    /// <summary>Where the C2PA box starts in the output: right after ftyp.</summary>
    public long C2paBoxOffset => kept[0].Size;

    public static Mp4ManifestInsertion Prepare(byte[] mp4, string source)
    {
        if (!BmffReader.LooksLikeBmff(mp4)) throw new DoppelException($"{source} is not an MP4 file", "an MP4/MOV file starts with an ftyp box");
        List<BmffBox> tree;
        try { tree = BmffReader.ReadTree(mp4); }
        catch (BmffException e) { throw new DoppelException($"{source}: {e.Message}", "the MP4 file is damaged or cut short"); }

        if (tree.Any(b => b.Type is "moof" or "mfra" or "sidx"))
            throw new DoppelException($"{source} is a fragmented MP4, which Doppel cannot sign yet (its fragments need Merkle-tree hashes)",
                "remux it into a plain MP4 first: ffmpeg -i IN -c copy -movflags +faststart OUT.mp4");
        if (tree.Any(b => b.Type == "meta"))
            throw new DoppelException($"{source} is an item-based ISO BMFF file (HEIF/AVIF image), which Doppel cannot sign", "convert it to PNG or JPEG to sign it");
        var movies = tree.Where(b => b.Type == "moov").ToList();
        if (movies.Count != 1)
            throw new DoppelException($"{source} has {movies.Count} moov boxes; a signable MP4 has exactly one", "the file is damaged or not a movie");
        var kept = tree.Where(b => !C2paBox.IsC2pa(b)).ToList(); // drops an earlier manifest (and Merkle boxes)
        return new Mp4ManifestInsertion(mp4, kept, movies[0], source);
    }

    /// <summary>
    /// The signed file's bytes with an all-zero store of <paramref name="storeLength"/> bytes in
    /// the C2PA box: the layout the hard binding is computed over.
    /// </summary>
    public byte[] Layout(int storeLength)
    {
        if (lastLayout is { } l && l.StoreLength == storeLength) return l.Bytes;
        byte[] c2pa = C2paBox.BuildManifestBox(new byte[storeLength]);
        long total = kept.Sum(b => b.Size) + c2pa.Length;
        if (total > Array.MaxLength) throw new DoppelException($"{source} is too large to sign in memory ({total} bytes)", "Doppel signs MP4 files up to 2 GB");
        var output = new byte[total];
        var moved = new List<(long OldStart, long OldEnd, long NewStart)>();
        long pos = 0;
        foreach (BmffBox box in kept)
        {
            mp4.AsSpan((int)box.Offset, (int)box.Size).CopyTo(output.AsSpan((int)pos));
            // A last box of size 0 ("to the end of the file") gets its real size: the C2PA box
            // moves it, and readers such as c2pa-rs stop at a size-0 box.
            if (BinaryPrimitives.ReadUInt32BigEndian(mp4.AsSpan((int)box.Offset)) == 0)
            {
                if (box.Size > uint.MaxValue) throw new DoppelException($"{source}: its last box has no size and is over 4 GB", "remux the file with ffmpeg -c copy");
                BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan((int)pos), (uint)box.Size);
            }
            moved.Add((box.Offset, box.End, pos));
            pos += box.Size;
            if (box == kept[0])
            {
                c2pa.CopyTo(output, pos);
                pos += c2pa.Length;
            }
        }
        long newMoov = moved.Single(m => m.OldStart == moov.Offset).NewStart;
        try
        {
            BmffBox outputMoov = BmffReader.ReadTree(output.AsSpan((int)newMoov, (int)moov.Size)).Single();
            ChunkOffsets.Rewrite(output.AsSpan((int)newMoov, (int)moov.Size), outputMoov, old =>
            {
                foreach (var (oldStart, oldEnd, newStart) in moved)
                    if (old >= oldStart && old < oldEnd) return old - oldStart + newStart;
                throw new BmffException($"a chunk offset ({old}) points outside the file's boxes");
            });
        }
        catch (BmffException e) { throw new DoppelException($"{source}: {e.Message}", "the MP4 file is damaged"); }
        lastLayout = (storeLength, output);
        return output;
    }

    /// <summary>The c2pa.hash.bmff.v2 hard binding of the layout for a store of <paramref name="storeLength"/> bytes (its size does not depend on the length).</summary>
    public BmffHashAssertion HardBinding(int storeLength)
    {
        byte[] layout = Layout(storeLength);
        List<BmffBox> tree = BmffReader.ReadTree(layout);
        byte[] hash = BmffHasher.Hash(layout, tree, BmffExclusion.Standard, BmffHashAssertion.WriteVersion, HashAlgorithmName.SHA256);
        return new BmffHashAssertion { Exclusions = BmffExclusion.Standard, Alg = "sha256", Hash = hash, Name = "jumbf manifest" };
    }

    /// <summary>The signed file: the layout for <paramref name="store"/>'s length with the store written into its C2PA box.</summary>
    public byte[] Embed(byte[] store)
    {
        byte[] output = Layout(store.Length);
        lastLayout = null; // the caller owns the result now
        store.CopyTo(output, C2paBoxOffset + C2paBox.ManifestHeaderLength);
        return output;
    }
}
