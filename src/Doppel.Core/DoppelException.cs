namespace Doppel.Core;

/// <summary>
/// An expected failure: bad input, a missing file, a mismatched checkpoint. The CLI prints
/// <see cref="Exception.Message"/> and <see cref="Hint"/> on one line each and exits with 1;
/// any other exception is a bug and gets a crash report.
/// </summary>
public class DoppelException : Exception
{
    public DoppelException(string message, string? hint = null, Exception? inner = null)
        : base(message, inner) => Hint = hint;

    /// <summary>What the user can do about it, or null when the message says it all.</summary>
    public string? Hint { get; }
}
