using System.Text;
using Doppel.Studio.Security;
using Microsoft.AspNetCore.Http;

namespace Doppel.Studio.Api;

/// <summary>
/// Saves uploaded files into the workspace's <c>uploads/</c>: the name the browser sent is cut to
/// its last segment and to safe characters, and a time stamp in front keeps uploads apart. The
/// file is written under a temporary name and renamed, so a broken upload leaves nothing behind.
/// </summary>
public sealed partial class UploadStore(Workspace workspace)
{
    public static readonly string[] MediaExtensions = [".png", ".jpg", ".jpeg", ".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi", ".c2pa"];

    /// <summary>Saves the upload; returns its workspace-relative path.</summary>
    public async Task<string> SaveAsync(IFormFile file, CancellationToken cancel)
    {
        string name = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}-{SafeName(file.FileName)}";
        string relative = $"{Workspace.Uploads}/{name}";
        string path = workspace.Resolve(relative);
        string temporary = workspace.Resolve($"{Workspace.Uploads}/{name}.partial");
        try
        {
            await using (var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                await file.CopyToAsync(target, cancel);
            File.Move(temporary, path);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        return relative;
    }

    public IEnumerable<FileInfo> List() =>
        new DirectoryInfo(Path.Combine(workspace.Root, Workspace.Uploads)).EnumerateFiles()
            .Where(f => !f.Name.StartsWith('.') && !f.Name.EndsWith(".partial", StringComparison.Ordinal))
            .OrderByDescending(f => f.LastWriteTimeUtc);

    /// <summary>An upload's name as it was sent, without the time stamp and random part Save put in front.</summary>
    public static string DisplayName(string fileName) => StampPrefix().Replace(fileName, "");

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{8}-\d{6}-[0-9a-f]{6}-")]
    private static partial System.Text.RegularExpressions.Regex StampPrefix();

    /// <summary>The last segment of a browser-sent file name, in letters, digits, '-', '_' and '.'; never empty, never hidden.</summary>
    public static string SafeName(string? sent)
    {
        string last = (sent ?? "").Replace('\\', '/').Split('/')[^1];
        var sb = new StringBuilder();
        foreach (char c in last) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        string safe = sb.ToString();
        if (safe.Length > 80) safe = safe[^80..];
        safe = safe.TrimStart('.');
        return safe.Length == 0 ? "upload" : safe;
    }
}
