using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Doppel.Studio.Tests.Support;

namespace Doppel.Studio.Tests;

/// <summary>
/// Training through the API with the real trainer: start, stop (a clean save), a resume started on
/// the command line that Studio watches live, and a resume from Studio.
/// </summary>
public sealed class TrainingApiTests : IAsyncLifetime
{
    private StudioHost host = null!;

    public async Task InitializeAsync() => host = await StudioHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    private static async Task<JsonElement> Until(Func<Task<JsonElement>> read, Func<JsonElement, bool> done, string what, int seconds = 240)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(seconds); ; await Task.Delay(200))
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: {value}");
        }
    }

    private static async Task<string> Submit(HttpClient client, object options)
    {
        using var response = await client.PostAsJsonAsync("/api/jobs", new { kind = "train", options });
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task StartStopThenResumeOnTheCommandLine_IsWatchedLive_AndResumeFromStudioContinuesTheSameRun()
    {
        SyntheticFaceSets.Write(host.InWorkspace("facesets/a"), count: 4, size: 128, person: 0);
        SyntheticFaceSets.Write(host.InWorkspace("facesets/b"), count: 4, size: 128, person: 1);
        using var client = host.AuthorisedClient();
        // The run appears once the trainer has made its folder: until then, an undefined element.
        async Task<JsonElement> Run()
        {
            using var response = await client.GetAsync("/api/runs/r");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
        }
        static bool Live(JsonElement r) => r.ValueKind == JsonValueKind.Object && r.GetProperty("run").GetProperty("live").GetBoolean();
        Task<JsonElement> Job(string id) => client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");

        // Start with no limit, then Stop once two iterations are done: SIGTERM, the trainer saves, exit 130.
        string job = await Submit(client, new { a = "a", b = "b", name = "r", model = "lite", batch = 1, iterations = 0, previewEvery = 1, saveEvery = 0 });
        var live = await Until(Run, r => Live(r) && r.GetProperty("run").GetProperty("iteration").GetInt64() >= 2, "run r live at iteration 2");
        Assert.Equal(job, live.GetProperty("job").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/api/jobs/{job}")).StatusCode);
        var stopped = await Until(() => Job(job), j => j.GetProperty("state").GetString() != "running", "job stopped");
        Assert.Equal("cancelled", stopped.GetProperty("state").GetString());
        Assert.Equal(130, stopped.GetProperty("exitCode").GetInt32());
        var run = (await Run()).GetProperty("run");
        Assert.Equal("interrupted", run.GetProperty("state").GetString());
        Assert.True(run.GetProperty("hasCheckpoint").GetBoolean());
        Assert.Equal("a", run.GetProperty("faceSetA").GetString());
        Assert.Equal("b", run.GetProperty("faceSetB").GetString());
        long k = run.GetProperty("iteration").GetInt64();
        var metrics = await client.GetFromJsonAsync<JsonElement>("/api/runs/r/metrics");
        Assert.Equal(k, metrics.GetProperty("rows").GetArrayLength());
        Assert.Equal(["iteration", "seconds", "loss_a", "loss_b"], metrics.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        var newest = await client.GetFromJsonAsync<JsonElement>($"/api/runs/r/metrics?after={k - 1}");
        Assert.Equal(k, newest.GetProperty("rows")[0][0].GetInt64());
        using (var preview = await client.GetAsync("/api/runs/r/preview")) Assert.Equal("image/png", preview.Content.Headers.ContentType!.MediaType);

        // A session started on the command line into the workspace: Studio sees it live, with no job of its own.
        var info = TestCli.Launcher.StartInfo(["train", "--a", host.InWorkspace("facesets/a"), "--b", host.InWorkspace("facesets/b"), "-o", host.InWorkspace("runs/r"),
            "--resume", "--iterations", (k + 2).ToString(), "--preview-every", "1", "--save-every", "0"], host.Workspace);
        using (var cli = Process.Start(info)!)
        {
            cli.StandardInput.Close();
            var output = cli.StandardOutput.ReadToEndAsync();
            var error = cli.StandardError.ReadToEndAsync();
            var watched = await Until(Run, r => Live(r) || cli.HasExited, "the command-line session seen live");
            Assert.True(watched.GetProperty("run").GetProperty("live").GetBoolean(), "the session ended before Studio saw it live");
            Assert.Equal(JsonValueKind.Null, watched.GetProperty("job").ValueKind);
            await cli.WaitForExitAsync();
            Assert.True(cli.ExitCode == 0, await error);
            Assert.Contains($"resuming", await output);
        }
        run = (await Run()).GetProperty("run");
        Assert.Equal("finished", run.GetProperty("state").GetString());
        Assert.Equal(k + 2, run.GetProperty("iteration").GetInt64());
        Assert.Equal(k + 2, (await client.GetFromJsonAsync<JsonElement>("/api/runs/r/metrics")).GetProperty("rows").GetArrayLength());

        // Resume from Studio, on the face sets the checkpoint names: the run is at its target already.
        string resumed = await Submit(client, new { a = "a", b = "b", name = "r", resume = true, iterations = k + 2 });
        var done = await Until(() => Job(resumed), j => j.GetProperty("state").GetString() is "succeeded" or "failed", "resume job");
        Assert.Equal("succeeded", done.GetProperty("state").GetString());
        Assert.Contains(done.GetProperty("log").EnumerateArray(), l => l.GetString()!.Contains("nothing to do"));

        // Starting a new run under a taken name is refused.
        using var again = await client.PostAsJsonAsync("/api/jobs", new { kind = "train", options = new { a = "a", b = "b", name = "r" } });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already exists", await again.Content.ReadAsStringAsync());
    }
}
