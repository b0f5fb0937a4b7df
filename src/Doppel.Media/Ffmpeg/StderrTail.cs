namespace Doppel.Media.Ffmpeg;

/// <summary>
/// Keeps the last few lines a child process wrote to stderr. It is fed from the process's
/// asynchronous stderr events, so stderr is always drained: a chatty ffmpeg can never fill
/// the pipe and stall while we wait on stdout (the classic two-pipe deadlock).
/// </summary>
internal sealed class StderrTail
{
    private const int Capacity = 20;
    private readonly Queue<string> _lines = new();
    private readonly object _gate = new();

    public void Add(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        lock (_gate)
        {
            _lines.Enqueue(line.Trim());
            if (_lines.Count > Capacity) _lines.Dequeue();
        }
    }

    /// <summary>The last line that says something specific; ffmpeg ends failures with generic ones.</summary>
    public string? LastMeaningfulLine
    {
        get
        {
            lock (_gate)
            {
                string? fallback = null;
                foreach (string line in _lines.Reverse())
                {
                    fallback ??= line;
                    if (!IsGeneric(line)) return line;
                }
                return fallback;
            }
        }
    }

    private static bool IsGeneric(string line) =>
        line.StartsWith("Conversion failed", StringComparison.Ordinal)
        || line.StartsWith("Error while", StringComparison.Ordinal) && line.Length < 40
        || line.StartsWith("Exiting normally", StringComparison.Ordinal);
}
