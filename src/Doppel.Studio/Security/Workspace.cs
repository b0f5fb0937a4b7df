using Doppel.Core;

namespace Doppel.Studio.Security;

/// <summary>
/// The one folder Studio reads and writes. Every path a request names is a path relative to it,
/// resolved here and nowhere else: absolute paths, empty or "." / ".." segments, backslashes,
/// control characters and names starting with '.' are refused, and the resolved path must stay
/// inside the workspace after following any symbolic link on the way (a link inside the
/// workspace that points outside is refused, whether it is the file or one of its folders).
/// Fixed sub-folders: <c>uploads/</c> (files sent to Studio), <c>facesets/</c> (extract
/// outputs), <c>runs/</c> (training runs), <c>outputs/</c> (convert results), <c>jobs/</c> (logs).
/// </summary>
public sealed class Workspace
{
    public const string Uploads = "uploads", FaceSets = "facesets", Runs = "runs", Outputs = "outputs", Jobs = "jobs";

    public Workspace(string root)
    {
        Directory.CreateDirectory(root);
        // The real path, so that a workspace reached through a link still compares equal to the
        // link targets found inside it.
        Root = RealPath(Path.GetFullPath(root));
        foreach (string dir in new[] { Uploads, FaceSets, Runs, Outputs, Jobs }) Directory.CreateDirectory(Path.Combine(Root, dir));
    }

    /// <summary>The workspace's absolute, link-free path.</summary>
    public string Root { get; }

    /// <summary>
    /// The absolute path of <paramref name="relative"/> ('/'-separated, inside the workspace),
    /// or a <see cref="DoppelException"/> saying why it is refused. The path need not exist.
    /// </summary>
    public string Resolve(string relative)
    {
        string why = Problem(relative);
        if (why.Length > 0) throw new DoppelException($"path refused: {why}", "name a file or folder inside the Studio workspace with a relative path, e.g. uploads/clip.mp4");
        string full = Path.Combine([Root, .. relative.Split('/')]);
        string real;
        try { real = RealPath(full); }
        catch (IOException) { throw new DoppelException("path refused: it goes through a link that cannot be followed (a loop?)", "name a plain file or folder inside the workspace"); }
        if (!IsInside(real)) throw new DoppelException("path refused: it leads outside the workspace through a link", "copy the file into the workspace instead of linking it");
        return full;
    }

    /// <summary>A single name (a face set, a run, an upload): one path segment, no separators.</summary>
    public static bool IsPlainName(string name) => Problem(name).Length == 0 && !name.Contains('/');

    /// <summary>The path of <paramref name="full"/> relative to the workspace, '/'-separated (for answers to the page).</summary>
    public string Relative(string full) => Path.GetRelativePath(Root, full).Replace(Path.DirectorySeparatorChar, '/');

    private static string Problem(string relative)
    {
        if (string.IsNullOrEmpty(relative)) return "the path is empty";
        if (relative.Length > 512) return "the path is too long";
        if (relative[0] == '/' || Path.IsPathRooted(relative)) return "absolute paths are not allowed";
        if (relative.Contains('\\')) return "backslashes are not allowed";
        if (relative.Any(char.IsControl)) return "control characters are not allowed";
        foreach (string segment in relative.Split('/'))
        {
            if (segment.Length == 0) return "empty path segments are not allowed";
            if (segment == "..") return "'..' is not allowed";
            if (segment[0] == '.') return "names starting with '.' are not allowed";
        }
        return "";
    }

    private bool IsInside(string real) =>
        real == Root || real.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    // Follows links component by component: the deepest existing ancestor is resolved to its
    // final target, then the rest (which does not exist yet) is appended.
    private static string RealPath(string full)
    {
        string current = Path.GetPathRoot(full)!;
        foreach (string part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(current, part);
            // lstat through FileInfo: LinkTarget is set for a link to a file or a folder, dangling or not.
            var info = new FileInfo(next);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                // The target may itself sit under linked folders: resolve it again.
                next = RealPath(Path.GetFullPath(target.FullName));
            current = next;
        }
        return current;
    }
}
