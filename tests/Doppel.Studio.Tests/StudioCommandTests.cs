using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Doppel.Studio.Tests.Support;

namespace Doppel.Studio.Tests;

/// <summary><c>doppel studio</c> as a user runs it: a real process, one line on stdout, served until SIGTERM.</summary>
public sealed class StudioCommandTests
{
    [Fact]
    public async Task ItPrintsExactlyOneLineWithTheUrlAndToken_ServesIt_AndStopsOnSigterm()
    {
        using var dir = new TempDir();
        var info = TestCli.Launcher.StartInfo(["studio", "--port", "0", "--workspace", dir.Sub("ws")], dir.Path);
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var match = Regex.Match(line ?? "", @"^Doppel Studio: (http://127\.0\.0\.1:(\d+)/)\?token=([A-Za-z0-9_-]{43})$");
        Assert.True(match.Success, line);
        Assert.True(Directory.Exists(dir.Sub("ws/uploads")));

        using (var client = new HttpClient { BaseAddress = new Uri(match.Groups[1].Value) })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/health")).StatusCode);
            Assert.Contains("\"ok\"", await client.GetStringAsync($"/api/health?token={match.Groups[3].Value}"));
        }

        Assert.True(Jobs.PosixSignals.Terminate(process.Id));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, process.ExitCode);
        Assert.Equal("", await process.StandardOutput.ReadToEndAsync());
        Assert.Equal("", await stderr);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", true)]
    [InlineData("::1", true)]
    [InlineData("localhost", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("::", false)]
    public void OnlyLoopbackAddressesAreLoopback_OthersGetTheWarning(string host, bool loopback) =>
        Assert.Equal(loopback, StudioServer.IsLoopback(host));
}
