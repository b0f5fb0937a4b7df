using Doppel.Studio.Jobs;
using Doppel.Studio.Security;

namespace Doppel.Studio;

/// <summary>How <see cref="StudioServer"/> runs: where it listens, its workspace, its token and limits.</summary>
public sealed record StudioOptions
{
    public const int DefaultPort = 7860;
    public const long DefaultMaxUploadBytes = 2L << 30;

    /// <summary>The address to listen on; loopback unless the user says otherwise.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one (tests).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The folder Studio reads and writes (see <see cref="Workspace"/>).</summary>
    public required string Workspace { get; init; }

    public AccessToken Token { get; init; } = AccessToken.CreateRandom();

    /// <summary>The largest upload accepted, in bytes; larger ones get 413 with a message.</summary>
    public long MaxUploadBytes { get; init; } = DefaultMaxUploadBytes;

    /// <summary>How jobs start the doppel CLI.</summary>
    public required DoppelLauncher Launcher { get; init; }

    /// <summary>True when this build has <c>doppel detect</c> (the CLI knows: its command registry says so).</summary>
    public bool DetectAvailable { get; init; }

    /// <summary>
    /// The fake detector model detect jobs use when the request names none (the Check page never
    /// does): a file from <c>doppel detect train</c>, chosen by whoever starts Studio, so it may be
    /// outside the workspace. Null: the CLI's own default (the shipped model, when there is one).
    /// </summary>
    public string? DetectorModel { get; init; }

    /// <summary>The version shown by /api/health and the page.</summary>
    public string Version { get; init; } = "unknown";
}
