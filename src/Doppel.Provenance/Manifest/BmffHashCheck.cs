using Doppel.Core;
using Doppel.Provenance.Bmff;
using Doppel.Provenance.Cbor;
using Doppel.Provenance.Jumbf;

namespace Doppel.Provenance.Manifest;

/// <summary>
/// Checks a <c>c2pa.hash.bmff</c> (v1, v2 or v3) hard binding against an MP4/MOV file and adds
/// assertion.bmffHash.match, .mismatch or .malformed to the report. A binding that is only a
/// Merkle tree (fragmented or segmented media) cannot be checked by Doppel: that is said, as an
/// error, rather than reported as tampering.
/// </summary>
internal sealed class BmffHashCheck : IHardBindingCheck
{
    public bool Handles(string label) => BmffHashAssertion.VersionOf(label) is not null;

    public void Check(byte[] file, JumbfBox box, string label, string claimAlg, string url, ValidationReport report)
    {
        int version = BmffHashAssertion.VersionOf(label) ?? throw new ArgumentException($"{label} is not a BMFF hash label");
        BmffHashAssertion assertion;
        try
        {
            if (box.Content is not { } content || CborReader.Decode(content.Payload.Span) is not CborMap map)
                throw new FormatException("the assertion is not a CBOR map");
            assertion = BmffHashAssertion.FromCbor(map);
        }
        catch (Exception e) when (e is FormatException or CborException)
        {
            report.Fail("assertion.bmffHash.malformed", url, $"the BMFF hash assertion cannot be read: {e.Message}");
            return;
        }
        if (assertion.Exclusions.Count == 0)
        {
            report.Fail("assertion.bmffHash.malformed", url, "the BMFF hash has no exclusions, so it cannot leave out the C2PA box it is stored in");
            return;
        }
        if (assertion.Hash is not { } expected)
        {
            if (assertion.HasMerkle)
                throw new DoppelException("this file's BMFF hash is a Merkle tree (fragmented or segmented video); Doppel does not check those yet",
                    "check it with the official C2PA tool (c2patool), or sign a non-fragmented MP4 (ffmpeg -movflags +faststart)");
            report.Fail("assertion.bmffHash.malformed", url, "the BMFF hash assertion has neither a hash nor a Merkle tree");
            return;
        }
        string alg = assertion.Alg ?? claimAlg;
        if (BmffHasher.Algorithm(alg) is not { } algorithm) { report.Fail("algorithm.unsupported", url, $"hash algorithm {alg} is not supported"); return; }
        if (!BmffReader.LooksLikeBmff(file)) { report.Fail("assertion.bmffHash.mismatch", url, "the file is not an ISO BMFF (MP4) file, so a BMFF hash cannot match it"); return; }

        List<BmffBox> tree;
        try { tree = BmffReader.ReadTree(file); }
        catch (BmffException e) { report.Fail("assertion.bmffHash.mismatch", url, $"the file's boxes cannot be read: {e.Message}"); return; }
        byte[] actual = BmffHasher.Hash(file, tree, assertion.Exclusions, version, algorithm);
        if (!actual.AsSpan().SequenceEqual(expected))
        {
            report.Fail("assertion.bmffHash.mismatch", url, "the file's boxes do not match the signed BMFF hash: the content changed after signing");
            return;
        }
        string merkle = assertion.HasMerkle ? "; its Merkle tree was not checked, the whole-file hash covers the same bytes" : "";
        report.Ok("assertion.bmffHash.match", url, $"BMFF hash valid ({BmffHashAssertion.LabelFor(version)}{merkle})");
    }
}
