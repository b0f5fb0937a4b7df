using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Doppel.Studio.Tests.Support;

namespace Doppel.Studio.Tests;

/// <summary>Over real HTTP: the token gate, the workspace fence and the upload limit.</summary>
public sealed class HttpSecurityTests : IAsyncLifetime
{
    private StudioHost host = null!;

    public async Task InitializeAsync() => host = await StudioHost.StartAsync(maxUploadBytes: 64 * 1024);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/static/app.js")]
    [InlineData("GET", "/api/health")]
    [InlineData("GET", "/api/jobs")]
    [InlineData("POST", "/api/check")]
    [InlineData("DELETE", "/api/jobs/1")]
    [InlineData("GET", "/no/such/page")]
    public async Task WithoutTheToken_EveryRequestIs401WithAnEmptyBody(string method, string path)
    {
        using var client = host.AnonymousClient();
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AWrongToken_InTheQueryTheCookieOrTheHeader_Is401()
    {
        using var client = host.AnonymousClient();
        string wrong = host.Token[..^1] + (host.Token[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/?token={wrong}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/health?token=")).StatusCode);
        var withCookie = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        withCookie.Headers.Add("Cookie", $"doppel_studio_{host.Server.Port}={wrong}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(withCookie)).StatusCode);
        var withBearer = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        withBearer.Headers.Authorization = new("Bearer", wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(withBearer)).StatusCode);
    }

    [Fact]
    public async Task TheTokenInTheUrl_SetsAnHttpOnlyCookie_AndRedirectsToTheUrlWithoutIt()
    {
        using var client = host.AnonymousClient();
        using var first = await client.GetAsync($"/?token={host.Token}");
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/", first.Headers.Location!.OriginalString);
        string cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"doppel_studio_{host.Server.Port}={host.Token};", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var second = await client.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("Doppel Studio", await second.Content.ReadAsStringAsync());
        Assert.Contains("script-src 'self'", second.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Health_AnswersTheVersion()
    {
        using var client = host.AuthorisedClient();
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/api/health"));
        Assert.Equal("ok", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("test", doc.RootElement.GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("../outside/secret.txt")]
    [InlineData("uploads/../../outside/secret.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("uploads//x")]
    [InlineData("uploads\\..\\x")]
    [InlineData(".hidden")]
    public async Task FilePathsOutsideTheWorkspace_AreRefused(string path)
    {
        File.WriteAllText(Path.Combine(host.Outside, "secret.txt"), "secret");
        using var client = host.AuthorisedClient();
        using var response = await client.GetAsync("/api/files?path=" + Uri.EscapeDataString(path));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("path refused", body);
        Assert.DoesNotContain("secret", body.Replace("secret.txt", ""));
    }

    [Fact]
    public async Task ALinkInsideTheWorkspaceThatPointsOutside_IsRefused()
    {
        File.WriteAllText(Path.Combine(host.Outside, "secret.txt"), "secret");
        File.CreateSymbolicLink(host.InWorkspace("uploads/link.txt"), Path.Combine(host.Outside, "secret.txt"));
        Directory.CreateSymbolicLink(host.InWorkspace("uploads/linkdir"), host.Outside);
        using var client = host.AuthorisedClient();
        foreach (string path in new[] { "uploads/link.txt", "uploads/linkdir/secret.txt" })
        {
            using var response = await client.GetAsync("/api/files?path=" + Uri.EscapeDataString(path));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("outside the workspace", await response.Content.ReadAsStringAsync());
        }
        // A file really inside is served.
        File.WriteAllText(host.InWorkspace("uploads/inside.txt"), "hello");
        Assert.Equal("hello", await client.GetStringAsync("/api/files?path=uploads/inside.txt"));
    }

    [Theory]
    [InlineData("extract", """{"input": "../outside/secret.txt", "name": "a"}""", "path refused")]
    [InlineData("extract", """{"input": "/etc/passwd", "name": "a"}""", "path refused")]
    [InlineData("extract", """{"input": "uploads/x.mp4", "name": "../a"}""", "plain name")]
    [InlineData("train", """{"a": "..", "b": "b", "name": "r"}""", "plain name")]
    [InlineData("convert", """{"input": "uploads/../../x", "model": "r", "name": "o"}""", "path refused")]
    public async Task JobOptionsNamingPathsOutsideTheWorkspace_AreRefused(string kind, string options, string expected)
    {
        using var client = host.AuthorisedClient();
        using var response = await client.PostAsync("/api/jobs", JsonContent.Create(new { kind, options = JsonDocument.Parse(options).RootElement }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
        Assert.Empty(host.Server.Jobs.All);
    }

    [Fact]
    public async Task AnOversizedUpload_IsRefusedWithAClearMessage_AndNothingIsStored()
    {
        using var client = host.AuthorisedClient();
        foreach (int size in new[] { 2 << 20, 64 * 1024 + 1 })
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[size]), "file", "big.png" } };
            using var response = await client.PostAsync("/api/check", form);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("the file is too large: Studio accepts uploads up to 65536 bytes", doc.RootElement.GetProperty("error").GetString());
            Assert.Contains("--max-upload-mb", doc.RootElement.GetProperty("hint").GetString());
        }
        Assert.Empty(Directory.GetFiles(host.InWorkspace("uploads")));
    }

    [Fact]
    public async Task AnUploadsFileName_IsCutToASafeNameInsideUploads()
    {
        using var client = host.AuthorisedClient();
        using var form = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "../../evil name;rm -rf.png" } };
        using var response = await client.PostAsync("/api/uploads", form);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string path = doc.RootElement.GetProperty("path").GetString()!;
        Assert.Matches(@"^uploads/\d{8}-\d{6}-[0-9a-f]{6}-evil_name_rm_-rf\.png$", path);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(host.InWorkspace(path)));
    }
}
