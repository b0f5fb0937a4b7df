using System.Security.Cryptography;
using Doppel.Provenance.Cbor;

namespace Doppel.Provenance.Manifest;

/// <summary>
/// The <c>c2pa.hash.data</c> hard binding: SHA-256 over every byte of the asset outside the
/// exclusion (the bytes that hold the manifest store). Embedders that insert the store as one
/// contiguous run can hash the asset as it was before insertion: those are exactly the bytes
/// outside the exclusion, in the same order.
/// </summary>
public static class DataHash
{
    /// <summary>A data hash whose single exclusion covers <paramref name="length"/> bytes from <paramref name="start"/>.</summary>
    public static Assertion Excluding(long start, long length, byte[] sha256) => Create(
        new List<object?> { new CborMap().Add("start", start).Add("length", length) }, sha256);

    /// <summary>A data hash over the whole asset (a sidecar manifest changes none of its bytes).</summary>
    public static Assertion WholeFile(byte[] sha256) => Create(new List<object?>(), sha256);

    public static byte[] Sha256(ReadOnlySpan<byte> bytes) => SHA256.HashData(bytes);

    private static Assertion Create(List<object?> exclusions, byte[] sha256) => Assertion.Cbor(C2pa.DataHash, new CborMap()
        .Add("exclusions", exclusions)
        .Add("name", "jumbf manifest")
        .Add("alg", "sha256")
        .Add("hash", sha256)
        .Add("pad", Array.Empty<byte>()));
}
