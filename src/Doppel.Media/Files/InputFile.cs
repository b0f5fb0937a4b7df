using Doppel.Core;

namespace Doppel.Media.Files;

/// <summary>Checks and reads input files, turning "not there" and "cannot open" into DoppelExceptions.</summary>
internal static class InputFile
{
    public static void RequireExists(string path)
    {
        if (Directory.Exists(path))
            throw new DoppelException($"{path} is a folder, not a file", "pass a video or image file");
        if (!File.Exists(path))
            throw new DoppelException($"file not found: {path}", "check the path");
    }

    public static byte[] ReadAllBytes(string path)
    {
        RequireExists(path);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DoppelException($"cannot read {path}: {e.Message}", "check the file's permissions", e);
        }
    }
}
