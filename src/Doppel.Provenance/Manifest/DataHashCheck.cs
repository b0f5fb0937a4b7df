using System.Security.Cryptography;
using Doppel.Provenance.Cbor;
using Doppel.Provenance.Jumbf;

namespace Doppel.Provenance.Manifest;

/// <summary>c2pa.hash.data: the hash over every byte of the asset outside the exclusion ranges.</summary>
public sealed class DataHashCheck : IHardBindingCheck
{
    public bool Handles(string label) => label == C2pa.DataHash;

    public void Check(byte[] file, JumbfBox box, string label, string claimAlg, string url, ValidationReport report)
    {
        if (box.Content is not { } content || CborReader.Decode(content.Payload.Span) is not CborMap dh || dh.GetBytes("hash") is not { } expected)
        {
            report.Fail("assertion.dataHash.malformed", url, "the data hash assertion cannot be read");
            return;
        }
        var ranges = new List<(long Start, long Length)>();
        foreach (object? e in dh.GetArray("exclusions") ?? [])
        {
            if (e is not CborMap m || m.GetInt("start") is not { } s || m.GetInt("length") is not { } l || s < 0 || l < 0 || s > file.Length || l > file.Length - s)
            {
                report.Fail("assertion.dataHash.mismatch", url, "a data hash exclusion lies outside the file");
                return;
            }
            ranges.Add((s, l));
        }
        ranges.Sort();
        string alg = dh.GetString("alg") ?? claimAlg;
        using IncrementalHash? hash = alg switch
        {
            "sha256" => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
            "sha384" => IncrementalHash.CreateHash(HashAlgorithmName.SHA384),
            "sha512" => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
            _ => null,
        };
        if (hash is null) { report.Fail("algorithm.unsupported", url, $"hash algorithm {alg} is not supported"); return; }
        long pos = 0;
        foreach (var (s, l) in ranges)
        {
            if (s > pos) hash.AppendData(file, (int)pos, (int)(s - pos));
            pos = Math.Max(pos, s + l);
        }
        if (pos < file.Length) hash.AppendData(file, (int)pos, (int)(file.Length - pos));
        if (hash.GetHashAndReset().AsSpan().SequenceEqual(expected))
            report.Ok("assertion.dataHash.match", url, "data hash valid");
        else
            report.Fail("assertion.dataHash.mismatch", url, "the file's bytes do not match the signed data hash: the content changed after signing");
    }
}
