using Doppel.Studio.Tests.Support;
using Microsoft.Playwright;

namespace Doppel.Studio.Tests.Browser;

/// <summary>
/// One Studio server and one real browser for the browser tests: Playwright driving Debian's
/// chromium (/usr/bin/chromium, installed by ./doppel from deps/apt.txt; Playwright's own browser
/// download is never used), headless, in a fresh profile folder (a persistent context in a new
/// temporary user-data dir) that is deleted afterwards. The server has a tiny detector the tests
/// train themselves (<see cref="TinyDetector"/>), so every check also runs doppel detect.
/// </summary>
public sealed class BrowserSession : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly TempDir _profile = new();
    private IPlaywright? _playwright;

    public StudioHost Host { get; private set; } = null!;
    public IBrowserContext Context { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium)) throw new InvalidOperationException($"{Chromium} is missing: run ./doppel setup (it installs Debian's chromium)");
        // With the fake detector, as a user who passed doppel studio --detector-model would have it.
        Host = await StudioHost.StartAsync(detectAvailable: true, detectorModel: TinyDetector.Train);
        _playwright = await Playwright.CreateAsync();
        Context = await _playwright.Chromium.LaunchPersistentContextAsync(_profile.Path, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = Flags,
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
            AcceptDownloads = false,
        });
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    /// <summary>A new tab on Studio, opened with the token URL (which sets the cookie and drops the token from the address).</summary>
    public async Task<IPage> OpenAsync(string page = "check")
    {
        var tab = await Context.NewPageAsync();
        await tab.GotoAsync(Host.Server.Url);
        if (page != "check") await tab.GotoAsync(Host.BaseAddress + "#" + page);
        await Assertions.Expect(tab.Locator("#version")).ToContainTextAsync("doppel");
        return tab;
    }

    /// <summary>Saves a screenshot for docs/studio.md: into the test output, and into $DOPPEL_STUDIO_SCREENSHOTS when set.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folders = new List<string> { Path.Combine(AppContext.BaseDirectory, "screenshots") };
        if (Environment.GetEnvironmentVariable("DOPPEL_STUDIO_SCREENSHOTS") is { Length: > 0 } docs) folders.Add(docs);
        // Videos are masked: the sample videos show real people, and a screenshot must never show
        // them (or a swap of them), whichever test ran before and left a result in the page.
        byte[] png = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Mask = [page.Locator("video")] });
        foreach (string folder in folders)
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllBytesAsync(Path.Combine(folder, name + ".png"), png);
        }
    }

    public async Task DisposeAsync()
    {
        if (Context is not null) await Context.CloseAsync();
        _playwright?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
        _profile.Dispose();
    }
}

[CollectionDefinition("Browser", DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserSession>;
