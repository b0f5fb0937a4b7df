using System.Net;
using System.Text.Json;
using Doppel.Studio.Tests.Support;

namespace Doppel.Studio.Tests;

/// <summary>POST /api/check: doppel verify's engine on an uploaded file, with detection kept apart.</summary>
public sealed class CheckApiTests : IAsyncLifetime
{
    private StudioHost host = null!;

    public async Task InitializeAsync() => host = await StudioHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task<JsonDocument> Check(string path)
    {
        using var client = host.AuthorisedClient();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(path)), "file", Path.GetFileName(path) } };
        using var response = await client.PostAsync("/api/check", form);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body);
    }

    [Fact]
    public async Task ADoppelSignedPng_IsValid_AndDeclaredSynthetic()
    {
        string png = TestMedia.SignedPng(Path.Combine(host.Outside, "generated.png"), Path.Combine(host.Outside, "keys"));
        using var doc = await Check(png);
        var p = doc.RootElement.GetProperty("provenance");
        Assert.Equal("Valid", p.GetProperty("state").GetString());
        Assert.True(p.GetProperty("synthetic").GetBoolean());
        Assert.Contains(p.GetProperty("actions").EnumerateArray(), a => a.GetString()!.StartsWith("c2pa.created (http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"));
        Assert.Equal("generator.safetensors", p.GetProperty("ingredients")[0].GetProperty("title").GetString());
        Assert.Empty(p.GetProperty("failure").EnumerateArray());
        // The uploaded copy is in the workspace, and the answer names it relative to it.
        string file = doc.RootElement.GetProperty("file").GetString()!;
        Assert.StartsWith("uploads/", file);
        Assert.Equal(File.ReadAllBytes(png), File.ReadAllBytes(host.InWorkspace(file)));
        var d = doc.RootElement.GetProperty("detection");
        Assert.False(d.GetProperty("available").GetBoolean());
        Assert.Equal("detection not available in this build", d.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AnUnsignedPng_HasNoManifest()
    {
        using var doc = await Check(TestMedia.UnsignedPng(Path.Combine(host.Outside, "plain.png")));
        Assert.Equal("NoManifest", doc.RootElement.GetProperty("provenance").GetProperty("state").GetString());
        Assert.False(doc.RootElement.GetProperty("provenance").GetProperty("synthetic").GetBoolean());
    }

    [Fact]
    public async Task ASignedPngWithAChangedPixel_IsInvalid_WithItsFailureCode()
    {
        string png = TestMedia.SignedPng(Path.Combine(host.Outside, "tampered.png"), Path.Combine(host.Outside, "keys"));
        byte[] bytes = File.ReadAllBytes(png);
        // The image data is in the IDAT chunk; flip one byte of it (its CRC is not the hard binding's business).
        int idat = IndexOf(bytes, "IDAT"u8);
        bytes[idat + 10] ^= 0x01;
        File.WriteAllBytes(png, bytes);
        using var doc = await Check(png);
        var p = doc.RootElement.GetProperty("provenance");
        Assert.Equal("Invalid", p.GetProperty("state").GetString());
        Assert.Contains(p.GetProperty("failure").EnumerateArray(), c => c.GetProperty("code").GetString() == "assertion.dataHash.mismatch");
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> what) => data.AsSpan().IndexOf(what);
}
