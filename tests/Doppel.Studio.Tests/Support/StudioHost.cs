namespace Doppel.Studio.Tests.Support;

/// <summary>A Studio server on a free loopback port over a fresh temporary workspace.</summary>
public sealed class StudioHost : IAsyncDisposable
{
    private readonly TempDir _dir;

    private StudioHost(StudioServer server, TempDir dir)
    {
        Server = server;
        _dir = dir;
    }

    public StudioServer Server { get; }
    public string Workspace => Server.Workspace.Root;
    public string Token => Server.Options.Token.Value;
    public Uri BaseAddress => Server.BaseAddress;

    /// <summary>A folder beside the workspace (outside it), for files the tests make.</summary>
    public string Outside => _dir.Sub("outside");

    /// <param name="detectorModel">Makes a detector for detect jobs: given the folder beside the workspace, returns the model file (<see cref="TinyDetector.Train"/>).</param>
    public static async Task<StudioHost> StartAsync(long maxUploadBytes = StudioOptions.DefaultMaxUploadBytes, bool detectAvailable = false, Func<string, string>? detectorModel = null)
    {
        var dir = new TempDir();
        string? model = detectorModel?.Invoke(dir.Sub("detector"));
        Directory.CreateDirectory(dir.Sub("outside"));
        var server = await StudioServer.StartAsync(new StudioOptions
        {
            Port = 0,
            Workspace = dir.Sub("workspace"),
            Launcher = TestCli.Launcher,
            MaxUploadBytes = maxUploadBytes,
            DetectAvailable = detectAvailable,
            DetectorModel = model,
            Version = "test",
        });
        return new StudioHost(server, dir);
    }

    /// <summary>A client that sends the token as a bearer header (no cookies, no redirects followed).</summary>
    public HttpClient AuthorisedClient()
    {
        var client = AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>A client with no credentials at all.</summary>
    public HttpClient AnonymousClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public string InWorkspace(string relative) => Path.Combine(Workspace, relative);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
