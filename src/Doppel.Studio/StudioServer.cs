using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Doppel.Core;
using Doppel.Studio.Api;
using Doppel.Studio.Check;
using Doppel.Studio.FaceSets;
using Doppel.Studio.Jobs;
using Doppel.Studio.Runs;
using Doppel.Studio.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Doppel.Studio;

/// <summary>
/// Doppel Studio's web server: Kestrel on <see cref="StudioOptions.Host"/>:<see cref="StudioOptions.Port"/>,
/// the token gate in front of everything (<see cref="TokenGate"/>), the page's embedded files,
/// and the API (docs/studio.md) over the workspace, the job queue and Doppel's own libraries.
/// Start with <see cref="StartAsync"/>; <see cref="Url"/> is the address to open, token included.
/// </summary>
public sealed class StudioServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StudioServer(StudioOptions options, WebApplication app, Workspace workspace, JobQueue jobs)
    {
        Options = options;
        _app = app;
        Workspace = workspace;
        Jobs = jobs;
    }

    public StudioOptions Options { get; }
    public Workspace Workspace { get; }
    public JobQueue Jobs { get; }

    /// <summary>The port actually bound (the chosen one when <see cref="StudioOptions.Port"/> is 0).</summary>
    public int Port { get; private set; }

    /// <summary>Where the server listens, without the token.</summary>
    public Uri BaseAddress => new($"http://{UrlHost(Options.Host)}:{Port}/");

    /// <summary>The URL to open: the page with the token.</summary>
    public string Url => $"{BaseAddress}?{TokenGate.QueryKey}={Options.Token.Value}";

    /// <summary>True when <paramref name="host"/> only reaches this machine (127.0.0.0/8, ::1, localhost).</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    public static async Task<StudioServer> StartAsync(StudioOptions options, CancellationToken cancel = default)
    {
        IPAddress address = options.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(options.Host, out var parsed) ? parsed
            : throw new DoppelException($"--host {options.Host} is not an IP address", "give an address such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)");
        var workspace = new Workspace(options.Workspace);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = workspace.Root, EnvironmentName = Environments.Production });
        // Studio prints exactly one line; the framework's own logging would add more.
        builder.Logging.ClearProviders();
        // Ctrl-C belongs to the doppel command (which stops jobs cleanly), not to the host.
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // The multipart wrapping adds a little to the file itself.
            k.Limits.MaxRequestBodySize = options.MaxUploadBytes + 1024 * 1024;
            k.Listen(address, options.Port);
        });
        builder.Services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = options.MaxUploadBytes + 1024 * 1024);
        builder.Services.Configure<JsonOptions>(j =>
        {
            // Metrics may hold an empty cell (NaN); JSON has no NaN, so it is written as a string.
            j.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
            j.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });
        var app = builder.Build();
        var jobs = new JobQueue(options.Launcher, workspace);
        var server = new StudioServer(options, app, workspace, jobs);

        var gate = new TokenGate(options.Token, () => $"doppel_studio_{server.Port}");
        var errors = new ApiError(options.MaxUploadBytes);
        app.Use(SecurityHeaders.InvokeAsync);
        app.Use((context, next) => gate.InvokeAsync(context, next));
        app.Use((context, next) => errors.InvokeAsync(context, next));
        StudioApi.Map(app, server, errors);

        try
        {
            await app.StartAsync(cancel);
        }
        catch (IOException e)
        {
            await jobs.DisposeAsync();
            await app.DisposeAsync();
            throw new DoppelException($"cannot listen on {options.Host}:{options.Port}: {e.Message}", "another program uses the port: pick another with --port N (0 picks a free one)");
        }
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        server.Port = new Uri(addresses.First()).Port;
        return server;
    }

    private static string UrlHost(string host) => IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host;

    /// <summary>Stops jobs cleanly (SIGTERM: training saves), then the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await Jobs.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
