namespace Doppel.Core;

/// <summary>
/// Writes a file under a temporary name beside the target and renames it into place, so a
/// crash, a full disk or Ctrl-C never leaves a half-written file where a good one was.
/// </summary>
public static class AtomicFile
{
    /// <param name="durable">
    /// Flush to the disk before the rename (survives power loss, costs milliseconds on a busy
    /// disk). Checkpoints and reports want it; thousands of regenerable face crops do not: the
    /// rename alone already guarantees that readers see either the old file or the whole new one.
    /// </param>
    public static void Write(string path, Action<Stream> write, bool durable = true)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(stream);
                stream.Flush(flushToDisk: durable);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (IOException e) when (IsDiskFull(e))
        {
            TryDelete(temp);
            throw new DoppelException($"disk full while writing {path}", "free some space and run the command again", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    // ENOSPC is 28 on Linux; .NET surfaces it as an IOException with that HResult's low word.
    private static bool IsDiskFull(IOException e) => (e.HResult & 0xFFFF) == 28 || e.Message.Contains("No space left", StringComparison.Ordinal);

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
