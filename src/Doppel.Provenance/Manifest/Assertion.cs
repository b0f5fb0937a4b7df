using System.Text;
using Doppel.Provenance.Cbor;
using Doppel.Provenance.Jumbf;

namespace Doppel.Provenance.Manifest;

/// <summary>
/// One assertion as it goes into the assertion store: its label (without the <c>__n</c>
/// instance suffix, which <see cref="ManifestBuilder"/> adds for repeats), the JUMBF content
/// type ("cbor" or "json") and the encoded content.
/// </summary>
public sealed record Assertion(string Label, string ContentType, byte[] Content)
{
    public static Assertion Cbor(string label, CborMap content) => new(label, "cbor", CborWriter.Encode(content));

    public static Assertion Json(string label, string json) => new(label, "json", Encoding.UTF8.GetBytes(json));

    /// <summary>The assertion superbox under <paramref name="instanceLabel"/>: a description box (type and label) and one content box.</summary>
    internal byte[] ToJumbf(string instanceLabel) =>
        JumbfWriter.Superbox(ContentType, instanceLabel, JumbfWriter.Box(ContentType, Content));
}
