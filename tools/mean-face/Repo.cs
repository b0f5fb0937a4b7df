using Doppel.Core;

/// <summary>The checkout the tool runs in: from the binary's folder, else from the working directory (builds with --artifacts-path live outside it).</summary>
internal static class Repo
{
    public static string Root
    {
        get
        {
            if (DoppelPaths.RepoRoot is { } root) return root;
            for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Doppel.slnx"))) return dir.FullName;
            throw new DoppelException("run this tool inside a Doppel checkout");
        }
    }
}
