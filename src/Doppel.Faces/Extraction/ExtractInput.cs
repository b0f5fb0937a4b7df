using Doppel.Core;

namespace Doppel.Faces.Extraction;

/// <summary>What kind of file an extract input is.</summary>
public enum InputKind { Image, Video }

/// <summary>
/// One file to extract from. <see cref="Expand"/> turns the command line's paths into files:
/// files as given, folders into their images and videos (top level, sorted by name, so reruns
/// visit them in the same order). The kind comes from the extension; a file with an unknown
/// extension is tried as a video, and ffprobe's verdict decides.
/// </summary>
public sealed record ExtractInput(string Path, InputKind Kind)
{
    public static IReadOnlyList<ExtractInput> Expand(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
            throw new DoppelException("no input given", "pass one or more videos, images or folders: doppel extract VIDEO -o DIR");
        var result = new List<ExtractInput>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string given in paths)
        {
            string full = System.IO.Path.GetFullPath(given);
            if (Directory.Exists(full))
            {
                var media = Directory.EnumerateFiles(full).Order(StringComparer.Ordinal)
                    .Where(f => (IsImage(f) || IsVideo(f)) && !System.IO.Path.GetFileName(f).StartsWith('.')).ToList();
                if (media.Count == 0)
                    throw new DoppelException($"folder {given} has no images or videos",
                        $"extract looks for {string.Join(" ", MediaFormats.ImageExtensions.Concat(MediaFormats.VideoExtensions).Order())} files at the top level of a folder");
                foreach (string f in media)
                    if (seen.Add(f)) result.Add(new ExtractInput(f, IsImage(f) ? InputKind.Image : InputKind.Video));
            }
            else if (File.Exists(full))
            {
                if (seen.Add(full)) result.Add(new ExtractInput(full, IsImage(full) ? InputKind.Image : InputKind.Video));
            }
            else
            {
                throw new DoppelException($"input not found: {given}", "check the path; extract takes videos, images and folders of them");
            }
        }
        return result;
    }

    // HEIC photos are taken in as images so that each is named with why it cannot be read
    // (MediaFormats.CannotDecode) while the rest of the folder goes on.
    private static bool IsImage(string path) => MediaFormats.IsImage(path) || MediaFormats.IsUndecodableImage(path);

    private static bool IsVideo(string path) => MediaFormats.IsVideo(path);
}
