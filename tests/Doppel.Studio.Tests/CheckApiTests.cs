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

    [Fact]
    public async Task WithDetectInTheBuild_ACheckQueuesDoppelDetect_AndItsOutcomeIsReportedAsItIs()
    {
        await using var withDetect = await StudioHost.StartAsync(detectAvailable: true);
        using var client = withDetect.AuthorisedClient();
        string png = TestMedia.UnsignedPng(Path.Combine(withDetect.Outside, "plain.png"));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(png)), "file", "plain.png" } };
        using var response = await client.PostAsync("/api/check", form);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var d = doc.RootElement.GetProperty("detection");
        Assert.True(d.GetProperty("available").GetBoolean());
        string id = d.GetProperty("job").GetString()!;

        JsonElement job;
        for (var deadline = DateTime.UtcNow.AddMinutes(4); ; await Task.Delay(300))
        {
            job = JsonDocument.Parse(await client.GetStringAsync($"/api/jobs/{id}")).RootElement;
            if (job.GetProperty("state").GetString() is "succeeded" or "failed" or "cancelled") break;
            Assert.True(DateTime.UtcNow < deadline, $"detect job {id} did not end: {job}");
        }
        Assert.Equal("detect", job.GetProperty("kind").GetString());
        Assert.Contains("--json", job.GetProperty("arguments").EnumerateArray().Select(a => a.GetString()));
        if (job.GetProperty("state").GetString() == "succeeded")
        {
            // The detector's own JSON, as doppel detect --json writes it: a picture with no face is inconclusive.
            string result = job.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("role").GetString() == "detection").GetProperty("path").GetString()!;
            using var detect = JsonDocument.Parse(await client.GetStringAsync("/api/files?path=" + Uri.EscapeDataString(result)));
            Assert.Equal("doppel-detect/1", detect.RootElement.GetProperty("format").GetString());
            Assert.Equal("inconclusive", detect.RootElement.GetProperty("inputs")[0].GetProperty("verdict").GetString());
        }
        else
        {
            // A build without its shipped detector model: the CLI's own error, passed on as it is.
            Assert.Equal("failed", job.GetProperty("state").GetString());
            Assert.StartsWith("error: ", job.GetProperty("error").GetString());
        }
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> what) => data.AsSpan().IndexOf(what);
}
