using System.Text.RegularExpressions;

namespace Doppel.Media.Ffmpeg;

/// <summary>
/// Keeps the last few lines a child process wrote to stderr. It is fed from the process's
/// asynchronous stderr events, so stderr is always drained: a chatty ffmpeg can never fill
/// the pipe and stall while we wait on stdout (the classic two-pipe deadlock).
/// </summary>
internal sealed partial class StderrTail
{
    private const int Capacity = 20;
    private readonly Queue<string> _lines = new();
    private readonly object _gate = new();

    /// <summary>Non-blank lines seen so far (with -loglevel error, the number of errors reported).</summary>
    public int LineCount { get; private set; }

    public void Add(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        lock (_gate)
        {
            LineCount++;
            _lines.Enqueue(Tidy(line));
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

    /// <summary>
    /// Drops what repeats information the caller's message already has: the component tag with
    /// its pointer ("[mov,mp4,... @ 0x55...] ") and the input's own name ("file:/path/x.mp4: ").
    /// </summary>
    internal static string Tidy(string line)
    {
        string text = ComponentTag().Replace(line.Trim(), "");
        Match file = FilePrefix().Match(text);
        return file.Success && file.Length < text.Length ? text[file.Length..] : text;
    }

    [GeneratedRegex(@"^\[[^\]]+ @ 0x[0-9a-fA-F]+\]\s*")]
    private static partial Regex ComponentTag();

    [GeneratedRegex(@"^file:.*?: ")]
    private static partial Regex FilePrefix();

    private static bool IsGeneric(string line) =>
        line.StartsWith("Conversion failed", StringComparison.Ordinal)
        || line.StartsWith("Error while", StringComparison.Ordinal) && line.Length < 40
        || line.StartsWith("Exiting normally", StringComparison.Ordinal);
}
