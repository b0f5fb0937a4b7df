using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Studio;
using Doppel.Studio.Jobs;

namespace Doppel.Cli.Commands;

/// <summary>
/// <c>doppel studio</c>: starts Doppel Studio (src/Doppel.Studio), prints exactly one line with
/// the URL and its token, and serves until Ctrl-C or SIGTERM; then it stops the running job
/// cleanly (training saves) and exits. Jobs run this same doppel as a child process.
/// </summary>
public sealed class StudioCommand : ICommand
{
    private readonly CommandRegistry registry;
    private readonly Option<int> port, maxUploadMb;
    private readonly Option<string> host;
    private readonly Option<string?> workspace, detectorModel;

    public StudioCommand(CommandRegistry registry)
    {
        this.registry = registry;
        port = Options.Int("port", StudioOptions.DefaultPort, "TCP port to listen on (0 picks a free one)", min: 0, max: 65535);
        host = Options.String("host", "127.0.0.1", "address to listen on; anything but loopback is reachable from other machines (a warning says so)", "address");
        workspace = Options.OptionalString("workspace", "the folder Studio reads and writes (uploads/, facesets/, runs/, outputs/, jobs/); default ./doppel-studio", "dir");
        detectorModel = Options.OptionalString("detector-model", "the fake detector (a model file from doppel detect train) that the Check page and detect jobs use when none is named; default: the shipped one", "file");
        maxUploadMb = Options.Int("max-upload-mb", (int)(StudioOptions.DefaultMaxUploadBytes >> 20), "largest file accepted for upload, in MiB", min: 1, max: 1 << 20);
    }

    public string Name => "studio";
    public string Summary => "Doppel Studio: a local web app to check files, clean face sets, watch training and run jobs";
    public OptionSet Options { get; } = new("studio");

    public string Usage => """
        usage: doppel studio [--port 7860] [--host 127.0.0.1] [--workspace DIR] [--detector-model FILE] [--max-upload-mb 2048]

        Starts Doppel Studio, a web app served by Doppel itself (no network, no CDN), and prints
        one line, "Doppel Studio: http://127.0.0.1:PORT/?token=TOKEN": open it in a browser. Pages:
        Check a file (C2PA provenance verdict; beside it, apart, the fake detector's verdict, score
        chart, most suspicious faces with their blend heatmaps and track thumbnails),
        Face sets (remove bad faces; they move to removed/, never deleted), Training (start, stop,
        resume and watch train and gan train runs, also ones started on the command line with
        -o DIR/runs/NAME), Jobs
        (extract and convert in a queue, one at a time, with progress, log, cancel and the result).

        Every request needs the token (the first visit sets a cookie), else the answer is 401. The
        token is new on every start. Everything Studio reads or writes is inside --workspace.
        Ctrl-C or SIGTERM stops the running job cleanly (training saves) and exits. API:
        docs/studio.md.
        """ + "\n\n" + Options.Describe();

    public int Run(string[] args)
    {
        ParsedOptions parsed = Options.Parse(args);
        string address = parsed.Get(host);
        var options = new StudioOptions
        {
            Host = address,
            Port = parsed.Get(port),
            Workspace = Path.GetFullPath(parsed.Get(workspace) ?? "doppel-studio"),
            MaxUploadBytes = (long)parsed.Get(maxUploadMb) << 20,
            Launcher = DoppelLauncher.CurrentProcess(),
            DetectAvailable = registry.Contains("detect"),
            DetectorModel = parsed.Get(detectorModel) is { } model ? RequireFile(Path.GetFullPath(model)) : null,
            Version = VersionInfo.Version,
        };
        using var stop = new StopRequest();
        var server = StudioServer.StartAsync(options, stop.Token).GetAwaiter().GetResult();
        try
        {
            Console.Out.WriteLine($"Doppel Studio: {server.Url}");
            Console.Out.Flush();
            if (!StudioServer.IsLoopback(address))
                Console.Error.WriteLine($"warning: Studio listens on {address}, which other machines may reach; anyone with the URL and token can use it (and the files in {options.Workspace})");
            try { Task.Delay(Timeout.Infinite, stop.Token).GetAwaiter().GetResult(); }
            catch (OperationCanceledException) { }
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return CliApp.ExitOk;
    }

    private static string RequireFile(string path) =>
        File.Exists(path) ? path : throw new DoppelException($"--detector-model: {path} not found", "pass a model file written by doppel detect train");
}
